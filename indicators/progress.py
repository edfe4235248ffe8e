"""A plain-text progress bar that works on a terminal and in a log file alike."""

import time

from django.core.management.base import OutputWrapper

BAR_WIDTH = 30


class ProgressBar:
    """Write `[#####-----] 1,200/4,000  30%` lines; on a TTY they redraw in place."""

    def __init__(self, stream, *, label=""):
        self.stream = stream
        # A command's OutputWrapper ends every write with a newline unless told otherwise.
        self._write = (
            (lambda text: stream.write(text, ending=""))
            if isinstance(stream, OutputWrapper)
            else stream.write
        )
        self.label = label
        self.started = time.monotonic()
        self.interactive = getattr(stream, "isatty", lambda: False)()
        self._last_line = None

    def __call__(self, done, total):
        fraction = done / total if total else 1.0
        filled = round(BAR_WIDTH * fraction)
        line = (
            f"{self.label}[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] "
            f"{done:,}/{total:,} {fraction:4.0%}"
        )
        if line == self._last_line:
            return
        self._last_line = line
        self._write(f"\r{line}" if self.interactive else f"{line}\n")
        self.stream.flush()

    def finish(self):
        if self.interactive:
            self._write("\n")
            self.stream.flush()
        return time.monotonic() - self.started
