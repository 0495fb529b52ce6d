from qa_service.cli.main import main

main()
