"""Celery workers: the app factory (:mod:`workers.app`), thin tasks over
:mod:`qa_service.services.processing` (:mod:`workers.tasks`) and the dispatcher the library uses to
send work when a broker is configured (:mod:`workers.dispatch`). Start one with
``qa-service worker --queues gpu`` (or ``cpu``, or ``gpu,cpu``)."""
