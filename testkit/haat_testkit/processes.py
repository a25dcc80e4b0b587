"""The processes a running system is made of (`haat up` and its children), from /proc, by what they run."""

from __future__ import annotations

from pathlib import Path

PROC = Path("/proc")


def descendants(pid: int) -> dict[int, str]:
    """pid → a short name ("catalog", "amazon-sandbox", "broker") of every process below `pid`."""
    found: dict[int, str] = {}
    pending = [pid]
    while pending:
        parent = pending.pop()
        try:
            children = (PROC / str(parent) / "task" / str(parent) / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found[child] = _name(child)
            pending.append(child)
    return found


def _name(pid: int) -> str:
    try:
        argv = (PROC / str(pid) / "cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return str(pid)
    if "serve" in argv:
        return argv[argv.index("serve") + 1]
    if "sandbox" in argv and "run" in argv:
        return f"{argv[argv.index('run') + 1]}-sandbox"
    if any(part.endswith("tansu") for part in argv):
        return "broker"
    return Path(argv[0]).name
