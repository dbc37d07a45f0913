"""An SMTP backend that waits before each message, so a test can kill the sending process between two."""

from __future__ import annotations

import os
import time

from django.core.mail.backends.smtp import EmailBackend


class SlowEmailBackend(EmailBackend):
    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("SLOW_SMTP_SECONDS", "1")))
        return super().send_messages(email_messages)
