"""Settings mistakes show at start-up, not as messages that never leave."""

from motcua.notifications.checks import check_providers, check_sms_leaves_the_machine


def test_a_channel_naming_an_unknown_provider_is_an_error(settings):
    settings.NOTIFICATIONS = {"CHANNELS": {"sms": ["esms"]}, "PROVIDERS": {}}

    assert [e.id for e in check_providers(None)] == ["notifications.E001"]


def test_a_provider_whose_class_does_not_exist_is_an_error(settings):
    settings.NOTIFICATIONS = {
        "CHANNELS": {"sms": ["esms"]},
        "PROVIDERS": {"esms": {"BACKEND": "motcua.notifications.providers.NoSuchProvider"}},
    }

    assert [e.id for e in check_providers(None)] == ["notifications.E002"]


def test_the_defaults_are_valid(settings):
    settings.NOTIFICATIONS = {}

    assert check_providers(None) == []


def test_sms_on_the_console_is_a_deployment_warning_outside_the_demo(settings):
    settings.NOTIFICATIONS, settings.DEMO = {}, False

    assert [w.id for w in check_sms_leaves_the_machine(None)] == ["notifications.W001"]


def test_the_demo_may_keep_sms_on_the_console(settings):
    settings.NOTIFICATIONS, settings.DEMO = {}, True

    assert check_sms_leaves_the_machine(None) == []
