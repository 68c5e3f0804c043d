"""A LanguageTool server of copydesk's own: installed into the user's cache, started on
127.0.0.1, found by every later run.

`copydesk languagetool install` fetches LanguageTool's HTTP server and English module (the
Maven Central artifacts org.languagetool:languagetool-server and language-en) with `mvn` when
Maven is on the PATH, else through language-tool-python's own download (languagetool.org),
and verifies them (every jar a readable zip, the server's main class present; Maven checks
the repository's checksums, strictly). `start` runs the server on a free port (or the
configured one) in a session of its own, so that it outlives the command, and waits until it
answers a first check (the first check loads the English data: about ten seconds, paid once,
not by every later run). Its address, process id and version go to a state file beside the
jars; `qa.languagetool` reads it when no URL is configured, so a pre-commit hook and
`copydesk serve` use the running server without LANGUAGETOOL_URL. `status` and `stop` read
the same file.

Files (COPYDESK_CACHE_DIR, else ~/.cache/copydesk):
    languagetool-server/<version>/lib/*.jar     the server's class path
    languagetool-server/<version>/installed.json what was installed, from where, file sizes
    languagetool-server/server.json             the running server: url, pid, version, log
    languagetool-server/server.log              its output
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

VERSION = "6.7"  # LanguageTool's release on Maven Central that copydesk is tested against
MAIN_CLASS = "org.languagetool.server.HTTPServer"
START_TIMEOUT = 120.0  # seconds for the JVM to start and answer its first check
_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>copydesk</groupId><artifactId>languagetool-fetch</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.languagetool</groupId><artifactId>languagetool-server</artifactId><version>{v}</version></dependency>
    <dependency><groupId>org.languagetool</groupId><artifactId>language-en</artifactId><version>{v}</version></dependency>
  </dependencies>
</project>
"""


class ServerError(Exception):
    """Installing, starting or stopping failed; str() says why in one line."""


def home() -> Path:
    from .resources import user_cache_dir

    return user_cache_dir() / "languagetool-server"


def install_dir(version: str = VERSION) -> Path:
    return home() / version


def _state_file() -> Path:
    return home() / "server.json"


@dataclass(frozen=True)
class Installed:
    version: str
    folder: Path
    classpath: str  # for java -cp
    source: str  # "maven" or "languagetool.org"


def installed(version: str = VERSION) -> Installed | None:
    """The installation of `version`, if it is there and whole (every file of the record)."""
    folder = install_dir(version)
    try:
        record = json.loads((folder / "installed.json").read_text(encoding="utf-8"))
        for name, size in record["files"].items():
            if (folder / name).stat().st_size != size:
                return None
        return Installed(version, folder, record["classpath"].replace("{folder}", str(folder)), record["source"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def install(version: str = VERSION, force: bool = False, log=print) -> Installed:
    """Fetch and verify LanguageTool `version` into the cache (nothing to do when it is there)."""
    if not force and (done := installed(version)) is not None:
        log(f"LanguageTool {version} is installed in {done.folder}")
        return done
    if shutil.which("java") is None:
        raise ServerError("LanguageTool needs Java 17 or newer: no 'java' on the PATH")
    folder = install_dir(version)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=folder.parent))
    try:
        if shutil.which("mvn"):
            log(f"fetching LanguageTool {version} (languagetool-server, language-en) from Maven Central with mvn ...")
            _fetch_maven(version, staging)
            source, classpath = "maven", str(Path("{folder}") / "lib" / "*")
        else:
            log(f"no mvn on the PATH: fetching LanguageTool {version} through language-tool-python ...")
            jar = _fetch_zip(version, staging)
            source, classpath = "languagetool.org", str(Path("{folder}") / jar.relative_to(staging))
        _verify(staging)
        files = {str(p.relative_to(staging)): p.stat().st_size for p in staging.rglob("*") if p.is_file()}
        record = {"version": version, "source": source, "classpath": classpath, "files": files}
        (staging / "installed.json").write_text(json.dumps(record, indent=1), encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        staging.rename(folder)  # whole or not at all: a run never sees half an installation
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    done = installed(version)
    if done is None:
        raise ServerError(f"LanguageTool {version} was fetched but its files in {folder} do not check out")
    log(f"LanguageTool {version} installed in {folder} ({len(files)} files, from {source})")
    return done


def _fetch_maven(version: str, staging: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="copydesk-mvn-") as tmp:
        (Path(tmp) / "pom.xml").write_text(_POM.format(v=version), encoding="utf-8")
        # -C: a checksum that does not match the repository's fails the fetch (the default warns);
        # the jars stay in ~/.m2 too, so a second install on the machine downloads nothing
        cmd = ["mvn", "-q", "-B", "-C", "-f", str(Path(tmp) / "pom.xml"), "dependency:copy-dependencies",
               f"-DoutputDirectory={staging / 'lib'}"]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            last = (proc.stdout + proc.stderr).strip().splitlines()[-3:]
            raise ServerError(f"mvn could not fetch LanguageTool {version}: {' | '.join(last)[:300]}")


def _fetch_zip(version: str, staging: Path) -> Path:
    """LanguageTool's own zip, by language-tool-python's downloader (needs languagetool.org)."""
    try:
        from language_tool_python import download_lt
        from language_tool_python import utils as lt_utils
    except ImportError as exc:
        raise ServerError(f"neither mvn nor language-tool-python's downloader is available ({exc})") from None
    os.environ["LTP_PATH"] = str(staging)
    try:
        download_lt.download_lt(version)
        jar = next(iter(sorted(Path(lt_utils.get_language_tool_download_path()).rglob("languagetool-server.jar"))))
    except Exception as exc:  # noqa: BLE001 - network errors of several kinds, all one message
        raise ServerError(f"could not download LanguageTool {version}: {type(exc).__name__}: {exc}"[:300]) from None
    return jar


def _verify(folder: Path) -> None:
    jars = sorted(folder.rglob("*.jar"))
    if not jars:
        raise ServerError(f"no jar files were fetched into {folder}")
    for jar in jars:
        if not zipfile.is_zipfile(jar):
            raise ServerError(f"{jar.name} is not a readable jar (a broken download)")
    main = MAIN_CLASS.replace(".", "/") + ".class"
    if not any(main in zipfile.ZipFile(j).namelist() for j in jars if "server" in j.name):
        raise ServerError(f"no jar holds LanguageTool's server ({MAIN_CLASS})")


# -- the running server -------------------------------------------------------------------------
@dataclass(frozen=True)
class Running:
    url: str
    pid: int
    version: str
    log: str


def _read_state() -> Running | None:
    try:
        data = json.loads(_state_file().read_text(encoding="utf-8"))
        return Running(str(data["url"]), int(data["pid"]), str(data["version"]), str(data.get("log", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process has the pid: treat as alive, the HTTP check decides
    # a child of this process that exited stays a zombie until waited for
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        return True


def running() -> Running | None:
    """The server `start` left running (its process is alive), or None. No network: cheap
    enough for every run to ask."""
    state = _read_state()
    return state if state is not None and _alive(state.pid) else None


def discovered_url() -> str | None:
    found = running()
    return found.url if found else None


def answers(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/v2/languages", timeout=timeout) as resp:
            return resp.status == 200
    except (OSError, ValueError):
        return False


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port: int | None = None, version: str = VERSION, memory: str = "1g", log=print) -> Running:
    """Start the server (or return the one running) and wait until it has checked a text."""
    found = running()
    if found is not None and answers(found.url):
        log(f"LanguageTool {found.version} is running at {found.url} (pid {found.pid})")
        return found
    done = installed(version)
    if done is None:
        raise ServerError(f"LanguageTool {version} is not installed: run 'copydesk languagetool install' first")
    port = port or _free_port()
    url = f"http://127.0.0.1:{port}"
    if answers(url, timeout=0.5):
        raise ServerError(f"port {port} is taken by another server: choose another with --port")
    config = home() / "server.properties"
    config.write_text("", encoding="utf-8")  # no fastText: the language is always given
    log_path = home() / "server.log"
    cmd = ["java", f"-Xmx{memory}", "-cp", done.classpath, MAIN_CLASS, "--config", str(config), "--port", str(port)]
    with open(log_path, "ab") as out:
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    state = Running(url, proc.pid, version, str(log_path))
    _state_file().write_text(json.dumps(state.__dict__), encoding="utf-8")
    began = time.monotonic()
    while not answers(url, timeout=1.0):
        if proc.poll() is not None or time.monotonic() - began > START_TIMEOUT:
            _kill(proc.pid)
            _state_file().unlink(missing_ok=True)
            raise ServerError(f"LanguageTool did not start (see {log_path})")
        time.sleep(0.25)
    _warm(url)
    log(f"LanguageTool {version} started at {url} (pid {proc.pid}) in {time.monotonic() - began:.1f} s")
    return state


def _warm(url: str) -> None:
    """One check, so that the English data is loaded now and not by the first real run."""
    data = urllib.parse.urlencode({"language": "en-US", "text": "This is a test."}).encode()
    try:
        urllib.request.urlopen(url + "/v2/check", data=data, timeout=START_TIMEOUT).read()
    except OSError:
        pass  # it answered /v2/languages: a slow first check is not a failed start


def stop(log=print) -> bool:
    """Stop the server `start` left running; False when there was none."""
    state = _read_state()
    _state_file().unlink(missing_ok=True)
    if state is None or not _alive(state.pid):
        log("no LanguageTool server of copydesk's is running")
        return False
    _kill(state.pid)
    log(f"LanguageTool at {state.url} (pid {state.pid}) stopped")
    return True


def _kill(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)  # its own session: the JVM and anything it started
    except (ProcessLookupError, PermissionError):
        return
    for _ in range(40):
        if not _alive(pid):
            return
        time.sleep(0.25)
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def status(log=print) -> int:
    """0 when a server is running and answers, 1 when not; says which and where."""
    done = installed()
    log(f"installed: LanguageTool {VERSION} in {done.folder} (from {done.source})" if done
        else f"installed: no (run 'copydesk languagetool install')")
    found = running()
    if found is None:
        log("running: no (run 'copydesk languagetool start')")
        return 1
    ok = answers(found.url)
    log(f"running: {'yes' if ok else 'not answering'} at {found.url} (pid {found.pid}, log {found.log})")
    return 0 if ok else 1

