# Extra probe `files`: the files in the run's folder (what the notebook wrote, and what it was
# given), by relative path and size. params: {"max_files": int}
def _dlgrade_probe_files(namespace, params):
    import os

    limit = int(params.get("max_files", 500))
    out = []
    for dirpath, dirnames, filenames in os.walk("."):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            path = os.path.join(dirpath, name)
            try:
                out.append({"path": path[2:][:300], "size": os.path.getsize(path)})
            except OSError:
                continue
            if len(out) >= limit:
                return {"files": out, "truncated": True}
    return {"files": out, "truncated": False}
