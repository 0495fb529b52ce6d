"""Agent/customer roles from the channel map and from content, on hand-built utterances."""

from __future__ import annotations

from qa_service.domain import Diarization, Role, SpeakerTurn, Utterance
from qa_service.pipeline.roles import RoleOptions, apply_roles, roles_from_channels, roles_from_content


def _utts(*lines: tuple[str, float, str]) -> tuple[Utterance, ...]:
    return tuple(Utterance(spk, start, start + 2.0, text) for spk, start, text in lines)


EN_CALL = _utts(
    ("SPEAKER_00", 0.5, "Hi, I'd like to check my card balance."),  # the customer happens to speak first
    ("SPEAKER_01", 3.0, "Thank you for calling Construction Bank, this is agent 1056, how may I help you?"),
    ("SPEAKER_00", 6.0, "Yes, my card was charged twice."),
    ("SPEAKER_01", 9.0, "May I have your full name and the last four digits of your ID?"),
    ("SPEAKER_00", 12.0, "David Miller, 4471."),
    ("SPEAKER_01", 15.0, "Is there anything else I can help you with?"),
    ("SPEAKER_00", 18.0, "No, that's all."),
    ("SPEAKER_01", 20.0, "Thank you for calling, goodbye."),
)

ZH_CALL = _utts(
    ("SPEAKER_00", 0.4, "您好，建设银行，工号1023为您服务。"),
    ("SPEAKER_01", 4.0, "你好，我想查一下我的银行卡。"),
    ("SPEAKER_00", 8.0, "请问您的姓名和身份证后四位？"),
    ("SPEAKER_01", 12.0, "王天华，四六八二。"),
    ("SPEAKER_00", 16.0, "请问还有什么可以帮您？"),
    ("SPEAKER_01", 20.0, "没有了，谢谢。"),
    ("SPEAKER_00", 22.0, "感谢您的来电，再见。"),
)


def test_english_agent_found_from_greeting_job_number_verification_and_closing() -> None:
    roles = roles_from_content(EN_CALL, "en")
    assert roles.role_of("SPEAKER_01") == Role.AGENT
    assert roles.role_of("SPEAKER_00") == Role.CUSTOMER
    assert roles.method == "content"
    assert roles.confidence > 0.9 and not roles.low_confidence
    assert any("job number" in r and "SPEAKER_01" in r for r in roles.reasons)


def test_mandarin_agent_found_even_with_asr_homophone_errors() -> None:
    assert roles_from_content(ZH_CALL, "zh").role_of("SPEAKER_00") == Role.AGENT
    garbled = _utts(  # what Whisper base makes of it: 见设 for 建设, 公好 for 工号 (same pinyin, other tones)
        ("SPEAKER_01", 0.2, "你好我想查以下我的印象卡"),
        ("SPEAKER_00", 3.0, "您好见设银行公好一零二三为您服务"),
        ("SPEAKER_01", 6.0, "王天华"),
        ("SPEAKER_00", 9.0, "请问您的姓名和身份证厚四位"),
    )
    roles = roles_from_content(garbled, "zh")
    assert roles.role_of("SPEAKER_00") == Role.AGENT
    assert not roles.low_confidence


def test_no_cues_gives_low_confidence_that_is_recorded_not_hidden() -> None:
    bland = _utts(("SPEAKER_00", 0.0, "Okay."), ("SPEAKER_01", 2.0, "Right."), ("SPEAKER_00", 4.0, "Sure."))
    roles = roles_from_content(bland, "en", RoleOptions(confidence_threshold=0.6))
    assert roles.low_confidence
    assert roles.confidence < 0.6
    assert any("low confidence" in r for r in roles.reasons)
    assert {r for _, r in roles.roles} == {Role.AGENT, Role.CUSTOMER}


def test_outbound_calls_do_not_count_speaking_first() -> None:
    call = _utts(("SPEAKER_00", 0.0, "Hello?"), ("SPEAKER_01", 1.0, "Hello?"))
    inbound = roles_from_content(call, "en", RoleOptions(outbound=False))
    outbound = roles_from_content(call, "en", RoleOptions(outbound=True))
    assert inbound.role_of("SPEAKER_00") == Role.AGENT and inbound.confidence > 0.5
    assert outbound.confidence == 0.5 and outbound.low_confidence


def test_no_speech_gives_an_empty_low_confidence_assignment() -> None:
    roles = roles_from_content((), "en")
    assert roles.roles == () and roles.low_confidence


def test_channel_map_decides_stereo_roles() -> None:
    diar = Diarization((SpeakerTurn("CHANNEL_0", 0, 1), SpeakerTurn("CHANNEL_1", 1, 2)),
                       ("CHANNEL_0", "CHANNEL_1"), method="channels")
    roles = roles_from_channels(diar, agent_channel=1)
    assert roles.role_of("CHANNEL_1") == Role.AGENT and roles.role_of("CHANNEL_0") == Role.CUSTOMER
    assert roles.confidence == 1.0 and roles.method == "channel" and not roles.low_confidence


def test_channel_map_contradicted_by_content_is_flagged() -> None:
    utts = tuple(Utterance("CHANNEL_0" if u.speaker == "SPEAKER_00" else "CHANNEL_1", u.start, u.end, u.text)
                 for u in ZH_CALL)
    diar = Diarization((), ("CHANNEL_0", "CHANNEL_1"), method="channels")
    wrong = roles_from_channels(diar, agent_channel=1, utterances=utts, language="zh")
    assert wrong.role_of("CHANNEL_1") == Role.AGENT  # the configured map is kept...
    # ...but flagged
    assert wrong.low_confidence and any("check the agent channel" in r for r in wrong.reasons)
    right = roles_from_channels(diar, agent_channel=0, utterances=utts, language="zh")
    assert not right.low_confidence


def test_apply_roles_returns_new_utterances() -> None:
    roles = roles_from_content(ZH_CALL, "zh")
    labelled = apply_roles(ZH_CALL, roles)
    assert [u.role for u in labelled[:2]] == [Role.AGENT, Role.CUSTOMER]
    assert ZH_CALL[0].role == Role.UNKNOWN


def test_a_diarized_speaker_with_no_recognised_words_can_be_the_agent() -> None:
    # the recogniser understood only the customer; the other diarized speaker must be the agent
    heard = _utts(("SPEAKER_01", 3.0, "你好，我想查一下我的银行卡。"),
                  ("SPEAKER_01", 9.0, "我的账户余额不对。"))
    roles = roles_from_content(heard, "zh", RoleOptions(outbound=True),
                               speakers=("SPEAKER_00", "SPEAKER_01"))
    assert roles.role_of("SPEAKER_00") == Role.AGENT and roles.role_of("SPEAKER_01") == Role.CUSTOMER
    assert roles.confidence > 0.6


def test_outbound_callee_answering_first_is_not_taken_for_the_agent() -> None:
    # Whisper's garbled version of zh_outbound_marketing_good: the customer answers, the agent's
    # introduction is unrecognisable, but the opt-out offer and the closing come through (near-homophones).
    call = _utts(("SPEAKER_00", 0.4, "喂,你好"), ("SPEAKER_01", 2.3, "您好,我是天神音,"),
                 ("SPEAKER_00", 37.5, "我先买以往人事事"),
                 ("SPEAKER_01", 40.5, "好的,好,我会有关心法您,如您不希望再听到此类的电话,可以此为止"),
                 ("SPEAKER_00", 51.8, "好的,"), ("SPEAKER_01", 52.9, "当您的确定,主您生活,又快,再听好"))
    roles = roles_from_content(call, "zh", RoleOptions(outbound=True))
    assert roles.role_of("SPEAKER_01") == Role.AGENT and not roles.low_confidence
    assert any("closing" in r and "SPEAKER_01" in r for r in roles.reasons)  # 主您生活又快 ~ 祝您生活愉快


def test_english_outbound_hello_first() -> None:
    call = _utts(("SPEAKER_00", 0.3, "Hello?"),
                 ("SPEAKER_01", 1.5, "Hello, this is Anna from Construction Bank."),
                 ("SPEAKER_00", 4.0, "Oh, okay."))
    roles = roles_from_content(call, "en", RoleOptions(outbound=True))
    assert roles.role_of("SPEAKER_01") == Role.AGENT and not roles.low_confidence


def test_one_syllable_phrases_match_only_as_characters() -> None:
    # 喂 (wei) must not match 为 (wei) in an inbound agent's greeting
    call = _utts(("SPEAKER_00", 0.3, "您好，工号1023为您服务。"), ("SPEAKER_01", 3.0, "你好。"))
    roles = roles_from_content(call, "zh", RoleOptions(outbound=True))
    assert not any("answering" in r for r in roles.reasons)


def test_approximate_pinyin_matches_count_whole_syllables() -> None:
    # garbled recogniser output of an outbound agent's introduction: "…天真音，航空…" shares
    # "…en yin hang" with 你们银行 (a customer cue) but not three of its four syllables
    call = _utts(("SPEAKER_00", 0.5, "您好，我是天真音，航空中心的小林，建文是航天真吗？"),
                 ("SPEAKER_01", 9.5, "是我，神是。"),
                 ("SPEAKER_00", 12.0, "唤起来您的唤愧，主您生活又快，再见。"))
    roles = roles_from_content(call, "zh", RoleOptions(outbound=True))
    assert "customer request" not in " ".join(roles.reasons)
    assert roles.role_of("SPEAKER_00") == Role.AGENT  # 主您生活又快 ~ 祝您生活愉快, one syllable off
    assert any("closing" in r for r in roles.reasons)
