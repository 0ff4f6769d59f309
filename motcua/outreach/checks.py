"""System check: the programs that make a bulletin's sound are installed (a warning: pages still work)."""

from django.core import checks

from . import audio


@checks.register()
def check_audio_tools(app_configs, **kwargs):
    return [
        checks.Warning(
            f"{tool} is not installed: loudspeaker bulletins cannot be turned into sound.",
            hint="apt-get install espeak-ng lame (see README, 'make run').",
            id="outreach.W001",
        )
        for tool, present in audio.available().items()
        if not present
    ]
