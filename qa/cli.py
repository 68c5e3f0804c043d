"""Command line: argparse only; the work is done by the engine and the reporters."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .config import Config, ConfigError, load_config
from .engine import (
    ConfigResolver,
    FileResult,
    build_ruleset,
    check_file,
    check_selectors,
    excluded_by,
    expand_paths,
    finish_run,
    selector_problem,
)
from .finding import Severity
from .packs import PackError
from .readers import EXTENSIONS, is_url
from .reporters import QUIET_AWARE, REPORTERS, STATISTICS
from .outputs import is_report
from .outputs import record as record_report
from .listing import Listing
from .runner import iter_check_many
from .spill import Spill

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class ReportNotWritten(Exception):
    """The report file could not be written; str() names it and says why."""


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is out of range (0-65535)")
    return port


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="copydesk", description="Editorial and translation QA for news copy.")
    p.add_argument("--version", action="version", version=f"copydesk {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    c = sub.add_parser("check", help="check articles (.txt, .md, .html, .docx; folders are walked; - reads stdin)")
    c.add_argument("paths", nargs="*", metavar="PATH", help="files and folders (default: the current folder)")
    c.add_argument(
        "--format",
        "--output-format",
        dest="format",
        choices=list(REPORTERS),
        default="text",
        help="output format (default: text; concise: one line a finding)",
    )
    c.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    c.add_argument(
        "--config",
        metavar="FILE",
        help="configuration file (default: nearest copydesk.toml "
        "or pyproject.toml with [tool.copydesk], searched upward from each file)",
    )
    c.add_argument(
        "--select",
        action="append",
        metavar="PREFIX",
        help="run only rules with these id prefixes (repeatable or comma-separated)",
    )
    c.add_argument(
        "--extend-select",
        action="append",
        metavar="PREFIX",
        help="run these rules too, on top of the configuration's selection (off-by-default ones included)",
    )
    c.add_argument("--ignore", action="append", metavar="PREFIX", help="skip rules with these id prefixes")
    c.add_argument(
        "--fail-on",
        choices=["error", "warning", "info"],
        help="exit 1 when a finding is at or above this level (default: warning)",
    )
    c.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="check files in N processes (default: the number of cores; small runs use one)",
    )
    c.add_argument("--no-cache", action="store_true", help="check every file again, ignoring .copydesk_cache")
    c.add_argument(
        "--write-baseline", metavar="FILE", help="record the current findings as accepted, in FILE"
    )
    c.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in FILE")
    c.add_argument(
        "--fix", action="store_true", help="apply safe fixes to the files, then report what is left"
    )
    c.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, apply unsafe fixes too")
    c.add_argument(
        "--diff",
        action="store_true",
        help="print the fixes as a unified diff; write nothing (exit 1 when there is something to fix)",
    )
    c.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        type=_iso_date,
        help="the date the articles speak at, for titles.* (default: front matter or HTML "
        "metadata, else the latest date in the text, else a Word file's own date, else today)",
    )
    c.add_argument(
        "--input-format", choices=["txt", "md", "html", "docx"], help="read every file as this format"
    )
    c.add_argument("--stdin-filename", default="<stdin>", metavar="NAME", help="name to report for -")
    c.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="colour the text report (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it)",
    )
    c.add_argument("--quiet", "-q", action="store_true", help="print the findings and errors, nothing else")
    c.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings (2 on errors still)")
    c.add_argument("--statistics", action="store_true", help="print how many findings each rule has, not the findings")
    c.add_argument(
        "--show-fixes",
        action="store_true",
        help="list the fixes: with --fix, how many of each rule were applied; without, each finding's fix, safe or unsafe",
    )
    c.add_argument(
        "--cluster",
        metavar="local[:N]",
        help="check on a Dask LocalCluster of N worker processes (needs copydesk[cluster])",
    )
    c.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="check on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786); paths must be on storage the workers share",
    )
    c.add_argument(
        "--force-exclude",
        action="store_true",
        help="apply the configuration's exclude to files named on the command line too (pre-commit passes them)",
    )

    r = sub.add_parser("rules", help="list every rule with its kind, default severity and description")
    r.add_argument("--config", metavar="FILE")
    r.add_argument("--all", action="store_true", help="include rules that are off by default")
    r.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")

    k = sub.add_parser("kb", help="knowledge-base tools: check, import-wikidata")
    ksub = k.add_subparsers(dest="kb_command", required=True, metavar="KB_COMMAND")
    kc = ksub.add_parser("check", help="validate the knowledge base (dates, duplicates, aliases)")
    kc.add_argument("--config", metavar="FILE")
    ki = ksub.add_parser("import-wikidata", help="positions from Wikidata entity JSON (P39 with P580/P582)")
    ki.add_argument("file", metavar="FILE")
    ki.add_argument(
        "--post",
        action="append",
        default=[],
        metavar="QID=POST",
        help="map a Wikidata position item to a post id (repeatable)",
    )
    ki.add_argument(
        "--as-of", default=None, metavar="YYYY-MM-DD", help="date the data was checked (default: today)"
    )
    ki.add_argument("--output", "-o", metavar="FILE", help="write the positions file here (default: stdout)")
    ki.add_argument("--config", metavar="FILE")

    s = sub.add_parser("serve", help="a local web page: paste or upload copy and see it checked")
    s.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)"
    )
    s.add_argument("--port", type=_port, default=8000, help="port (default: 8000)")
    s.add_argument("--config", metavar="FILE")

    lt = sub.add_parser("languagetool", help="a local LanguageTool server for the grammar rules: install, start, status, stop")
    ltsub = lt.add_subparsers(dest="lt_command", required=True, metavar="ACTION")
    li = ltsub.add_parser("install", help="fetch LanguageTool's server and English module into the cache (mvn, else languagetool.org)")
    li.add_argument("--force", action="store_true", help="fetch again even when installed")
    ls = ltsub.add_parser("start", help="run it on 127.0.0.1 (reused by every later run) and wait until it answers")
    ls.add_argument("--port", type=_port, default=None, help="port (default: [languagetool] port, else a free one)")
    ls.add_argument("--memory", default="1g", help="Java heap, as -Xmx takes it (default: 1g)")
    ls.add_argument("--config", metavar="FILE")
    ltsub.add_parser("status", help="installed? running? where? (exit 0 when it answers)")
    ltsub.add_parser("stop", help="stop the server 'start' left running")

    e = sub.add_parser("explain", help="show a rule's documentation with flagged and clean examples")
    e.add_argument("rule", metavar="RULE")
    e.add_argument("--config", metavar="FILE")
    # each command's own parser, for an unknown flag's error (argparse would print the top
    # usage, which does not list the command's flags)
    p.set_defaults(_commands={"check": c, "rules": r, "kb": k, "serve": s, "languagetool": lt, "explain": e})
    k.set_defaults(_sub={"check": kc, "import-wikidata": ki})
    lt.set_defaults(_sub={"install": li, "start": ls})
    return p


def _iso_date(value: str) -> str:
    import datetime as dt

    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (use YYYY-MM-DD)") from None


def _split(values: list[str] | None) -> list[str] | None:
    return [v.strip() for item in values for v in item.split(",") if v.strip()] if values else None


def _explicit_config(path: str | None) -> Config | None:
    return load_config(Path(path)) if path else None


def main(argv: list[str] | None = None) -> int:
    args, unknown = _parser().parse_known_args(argv)
    if unknown:  # the usage of the command that was given, not of copydesk as a whole
        parser = args._commands[args.command]
        action = getattr(args, "kb_command", None) or getattr(args, "lt_command", None)
        parser = getattr(args, "_sub", {}).get(action, parser)
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    # a file name that is not UTF-8 arrives with surrogate escapes: show it escaped, never crash
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass
    try:
        if args.command == "check":
            # A run allocates millions of short-lived tuples (tokens, matches) and few cycles:
            # collecting the youngest generation every 700 allocations costs ~5% of a run.
            gc.set_threshold(100_000, 20, 100)
            return _check(args)
        if args.command == "rules":
            return _rules(args)
        if args.command == "kb":
            return _kb(args)
        if args.command == "languagetool":
            return _languagetool(args)
        if args.command == "serve":
            from .server import serve

            print(f"copydesk: serving on http://{args.host}:{args.port}/ (Ctrl+C to stop)", file=sys.stderr)
            serve(args.host, args.port, _explicit_config(args.config))
            return EXIT_OK
        return _explain(args)
    except PackError as exc:  # a malformed pack or configuration: one line, exit 2
        print(f"copydesk: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK
    except ReportNotWritten as exc:  # -o into a folder, a full disk: one line, exit 2
        print(f"copydesk: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def _check(args: argparse.Namespace) -> int:
    if not args.paths:
        args.paths = ["."]  # as Ruff: no path checks the current folder
    cli = {
        "select": _split(args.select),
        "ignore": _split(args.ignore),
        "fail_on": args.fail_on,
        "date": args.date,
        "extend_select": _split(args.extend_select),
    }
    explicit = _explicit_config(args.config)
    if explicit is not None:
        check_selectors(explicit)
    resolver = ConfigResolver(explicit.with_cli(**cli) if explicit else None, cli)
    if (args.fix or args.diff) and "-" in args.paths:
        print("copydesk: --fix and --diff need files, not standard input", file=sys.stderr)
        return EXIT_ERROR
    walk_errors: list[tuple[str, str]] = []
    left_out = Counter()
    excluded = excluded_by(resolver)

    def skip(path: str) -> bool:
        if is_report(path):
            left_out["reports copydesk wrote"] += 1
            return True
        if excluded(path):
            left_out["excluded by the configuration"] += 1
            return True
        return False

    with ExitStack() as stack:
        # the run's files go to disk as they are listed: an archive's list is never in memory
        listing = Listing()
        stack.callback(listing.close)
        clash = _output_clash(args)
        listed = 0
        for path in expand_paths(args.paths, skip, walk_errors, skip_given=args.force_exclude):
            listed += 1
            target = clash(path)
            if target is not None:
                print(f"copydesk: {target}: is one of the files being checked; not written", file=sys.stderr)
                return EXIT_ERROR
            try:
                config = resolver.for_path(path)
            except ConfigError as exc:
                listing.add_result(FileResult(path, [], f"configuration: {exc}"))
                continue
            if path == "-":
                listing.add_result(check_file(path, config, stdin_name=args.stdin_filename, fmt=args.input_format), config)
            else:
                listing.add_job(path, config)
        if not listed:
            return _nothing_to_check(args, walk_errors, left_out)
        listing.head = [FileResult(folder, [], reason) for folder, reason in walk_errors]
        problem = _selector_problem([*listing.configs, *(c for _, c in listing.ready)], cli)
        if problem:
            print(f"copydesk: {problem}", file=sys.stderr)
            return EXIT_ERROR
        fixing = args.fix or args.diff
        on_cluster = args.cluster or args.scheduler
        if on_cluster and (fixing or "-" in args.paths):
            print("copydesk: --fix, --diff and standard input run on this machine: drop --cluster/--scheduler", file=sys.stderr)
            return EXIT_ERROR
        client = None
        if on_cluster:
            from .cluster import ClusterError, connect

            try:
                client = stack.enter_context(connect(args.scheduler, args.cluster, listing.configs))
            except ClusterError as exc:
                print(f"copydesk: {exc}", file=sys.stderr)
                return EXIT_ERROR
        return _run(args, listing, fixing, client)


def _nothing_to_check(args: argparse.Namespace, walk_errors: list[tuple[str, str]], left_out: Counter) -> int:
    for folder, reason in walk_errors:
        print(f"copydesk: {folder}: {reason}", file=sys.stderr)
    if left_out and not walk_errors:  # everything there was left out on purpose: nothing failed
        why = ", ".join(f"{n} {what}" for what, n in left_out.items())
        if not args.quiet:
            print(f"copydesk: no files to check ({why})", file=sys.stderr)
        return EXIT_OK
    known = " ".join(sorted(set(EXTENSIONS)))
    print(f"copydesk: no files to check in {' '.join(args.paths)} (looked for {known})", file=sys.stderr)
    return EXIT_ERROR


def _run(args: argparse.Namespace, listing: Listing, fixing: bool, client: Any) -> int:
    """Check the listed files (here, in worker processes or on a cluster), then fix or report."""
    use_cache = not args.no_cache and not fixing
    # the text and JSON reports are runs of per-file parts, written out as each file is checked
    # (by the workers, with -j); a baseline changes what is reported, so it reads findings
    render = None
    if not (fixing or args.baseline or args.write_baseline or args.statistics or args.show_fixes):
        from .reporters import file_renderer

        if file_renderer(args.format) is not None:
            render = (args.format, _color(args))
    cluster = None
    if client is not None:
        from .cluster import ClusterRun

        def job_at(place: int) -> tuple:
            return (*listing.job_at(place), args.input_format, use_cache, render)

        cluster = ClusterRun(client, job_at)
    checked = iter_check_many(
        ((path, config) for _, path, config in listing.jobs_of()),
        args.input_format,
        args.jobs or os.cpu_count() or 1,
        use_cache=use_cache,
        packed=not fixing,  # results go to the spill file as the workers pickled them
        render=render,
        cluster=cluster,
        count=listing.jobs,
        places=(place for place, _, _ in listing.jobs_of()),
        configs=listing.configs,
    )
    if fixing:  # fixing needs the texts at hand
        return _fix(args, listing, checked)
    # an ordinary run spills each result to disk as it comes (an archive of a million articles)
    spill = Spill(render)
    try:
        for ready, config in listing:
            result = next(checked) if ready is None else ready
            if config is not None:
                result.fail_on = config.fail_on
            spill.add(result)
        if cluster is not None:
            _adopt_cluster_tallies(cluster, spill, listing)
        return _report(args, spill)
    finally:
        spill.close()


def _fix(args: argparse.Namespace, listing: Listing, checked: Iterator[FileResult]) -> int:
    """--fix and --diff: every result in memory, the files fixed, what is left reported."""
    results: list[FileResult] = []
    configs: dict[str, Config] = {}
    for ready, config in listing:
        result = next(checked) if ready is None else ready
        if config is not None:
            result.fail_on = config.fail_on
            configs[result.path] = config
        results.append(result)
    changed, not_fixed = _apply_fixes(args, results, configs)
    if args.diff:
        return EXIT_ERROR if not_fixed else EXIT_FINDINGS if changed else EXIT_OK
    # report what is left, as the files now are
    for i, r in enumerate(results):
        if r.path in changed:
            results[i] = check_file(r.path, configs[r.path], fmt=args.input_format)
            results[i].fail_on = configs[r.path].fail_on
    finish_run(results)
    code = _report(args, results)
    return EXIT_ERROR if not_fixed else code


def _adopt_cluster_tallies(cluster: Any, spill: Spill, listing: Listing) -> None:
    """The run-level tallies the cluster merged (its files numbered by their places in the
    run), handed to the spill's checks across files; the files they report on are read back
    on the cluster."""
    by_key = {config.key(): config for config in listing.configs}
    for key, states in cluster.states().items():
        spill.run.adopt(build_ruleset(by_key[key]), states)
    spill.reload = cluster.reload
    spill.ahead = cluster.ahead


def _selector_problem(configs: list[Config], cli: dict) -> str | None:
    """What is wrong with the first --select, --extend-select or --ignore prefix that names no
    rule of any file's configuration (its own packs included), with the closest rule id: a typo
    would otherwise check nothing and pass."""
    options = [(f"--{key.replace('_', '-')}", cli[key]) for key in ("select", "extend_select", "ignore") if cli[key]]
    if not options:
        return None
    ids: set[str] = set()
    for config in {c.key(): c for c in configs}.values() or [Config()]:
        try:
            ids.update(s.id for s in build_ruleset(config).specs)
        except PackError:  # a broken pack is that file's error, reported with it
            return None
    return next((p for option, prefixes in options if (p := selector_problem(option, prefixes, ids))), None)


def _output_clash(args: argparse.Namespace) -> Callable[[str], str | None]:
    """The --output or --write-baseline path (as given) that a file to check is, if any: the
    report would replace the article. Asked of each file as it is listed, so nothing is
    collected: a file of the report's name is resolved and compared, and any file is compared
    by identity (a link to the report, by another name) when the report exists already."""
    targets = []  # (as given, real path, (device, inode) or None)
    for given in (args.output, args.write_baseline):
        if given:
            try:
                st = os.stat(given)
                identity = (st.st_dev, st.st_ino)
            except OSError:
                identity = None  # not written yet: only a file of its name and place can be it
            targets.append((str(given), os.path.realpath(given), identity))
    names = {os.path.basename(real) for _, real, _ in targets}
    identities = {identity: given for given, _, identity in targets if identity is not None}

    def clash(path: str) -> str | None:
        if not targets or path == "-" or ("://" in path and is_url(path)):
            return None
        if os.path.basename(path) in names:
            real = os.path.realpath(path)
            for given, target, _ in targets:
                if real == target:
                    return given
        if not identities:
            return None
        try:
            st = os.stat(path)
        except OSError:
            return None  # unreadable: reported when it is read
        return identities.get((st.st_dev, st.st_ino))

    return clash


def _color(args: argparse.Namespace) -> bool:
    """Colour in the report: asked for, or writing to a terminal (never into --output), as
    NO_COLOR and FORCE_COLOR say (https://no-color.org, https://force-color.org): --color
    always or never wins, then NO_COLOR, then FORCE_COLOR."""
    if args.color != "auto":
        return args.color == "always"
    if args.output or os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def _report(args: argparse.Namespace, results: Spill | list[FileResult]) -> int:
    """Baselines, error lines, notices, the report and the exit code, for a list of results or a
    Spill (which re-reads its results from disk each time it is iterated)."""
    if isinstance(results, Spill):
        results.run_findings()
    hidden: dict[str, int] = {}  # findings the baseline hid, by file
    if args.write_baseline:
        from .baseline import write

        try:
            count = write(results, Path(args.write_baseline))
        except OSError as exc:
            raise ReportNotWritten(
                f"{args.write_baseline}: cannot write the baseline: {exc.strerror or exc}"
            ) from None
        print(
            f"copydesk: wrote a baseline of {count} finding{'s' if count != 1 else ''} to {args.write_baseline}",
            file=sys.stderr,
        )
        return EXIT_ERROR if any(r.error for r in results) else EXIT_OK
    if args.baseline:
        from .baseline import filter_new, load

        try:
            accepted = load(Path(args.baseline))
        except RecursionError:
            print(f"copydesk: {args.baseline}: cannot use as a baseline: nested too deeply", file=sys.stderr)
            return EXIT_ERROR
        except (OSError, ValueError, KeyError, TypeError) as exc:
            print(f"copydesk: {args.baseline}: cannot use as a baseline: {exc}", file=sys.stderr)
            return EXIT_ERROR
        if isinstance(results, Spill):
            from .baseline import _key, by_path

            base = Path(args.baseline)
            grouped = by_path(accepted)
            root = base.resolve().parent

            spill = results

            def drop_baselined(r: FileResult) -> None:
                # each pass over the spilled results filters each file with a fresh copy of its
                # entries; the count per file is the same on every pass: counted on the first
                n = filter_new([r], Counter(grouped.get(_key(r.path, root), {})), base)
                if spill.passes == 1:
                    hidden["*"] = hidden.get("*", 0) + n

            results.filter = drop_baselined
        else:
            hidden["*"] = filter_new(results, accepted, Path(args.baseline))
    light = results.stubs() if isinstance(results, Spill) else results
    errors = 0
    for r in light:
        if r.error:
            errors += 1
            print(f"copydesk: {r.path}: {r.error}", file=sys.stderr)
    # once per run, whatever the number of files: e.g. grammar checks skipped for want of a server
    if isinstance(results, Spill):
        rulesets = results.rulesets
    else:
        rulesets = list({id(r.ruleset): r.ruleset for r in results if r.ruleset is not None}.values())
    notices = list(dict.fromkeys(n for rs in rulesets for n in rs.notices()))
    if not args.quiet:
        for notice in notices:
            print(f"copydesk: notice: {notice}", file=sys.stderr)
    out: TextIO
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8", errors="backslashreplace") as out:
                _write_report(args, results, out, notices)
        except OSError as exc:
            raise ReportNotWritten(f"{args.output}: cannot write the report: {exc.strerror or exc}") from None
        record_report(args.output)  # a later `check .` leaves it alone
    else:
        _write_report(args, results, sys.stdout, notices)
    if args.show_fixes and not (args.fix or args.diff):
        _show_available_fixes(results, args.unsafe_fixes)
    if hidden and not args.quiet:
        n = sum(hidden.values())
        print(f"copydesk: the baseline hid {n} finding{'s' if n != 1 else ''} ({args.baseline})", file=sys.stderr)
    if isinstance(results, Spill):  # the severities the reporter read: no second pass over the disk
        worst_failed = results.failed
    else:
        worst_failed = any(
            max(d.severity for d in r.diagnostics) >= (r.fail_on or Severity.WARNING) for r in results if r.diagnostics
        )
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if worst_failed and not args.exit_zero else EXIT_OK


def _show_available_fixes(results, unsafe: bool) -> None:
    """--show-fixes without --fix: each finding a fix settles, and whether --fix applies it
    (safe) or needs --unsafe-fixes; then the counts."""
    safe = risky = 0
    lines = []
    for r in results:
        for d in r.diagnostics:
            if d.fix is None:
                continue
            kind = "safe" if d.fix.applicability == "safe" else "unsafe"
            safe += kind == "safe"
            risky += kind == "unsafe"
            lines.append(f"{d.path}:{d.line}:{d.column}: {d.rule} [{kind}] {d.fix.title}")
    if not lines:
        sys.stdout.write("No fixes available.\n")
        return
    more = f" ({risky} more with --unsafe-fixes)" if risky and not unsafe else ""
    count = safe + risky if unsafe else safe
    lines.append(f"{count} fixable with --fix{' --unsafe-fixes' if unsafe else ''}{more}.")
    sys.stdout.write("\n".join(lines) + "\n")


def _write_report(args: argparse.Namespace, results, out: TextIO, notices: list[str]) -> None:
    """The report in the format asked for: --statistics instead of the findings, the summary line
    left out with --quiet, JUnit told each file's fail-on (findings below it pass)."""
    color = _color(args)
    if args.statistics:
        STATISTICS(results, out, color, notices, fmt="json" if args.format == "json" else "text")
    elif args.format in QUIET_AWARE:
        REPORTERS[args.format](results, out, color, notices, quiet=args.quiet)
    elif args.format == "junit":
        REPORTERS[args.format](results, out, color, notices)
    else:
        REPORTERS[args.format](results, out, color, notices)


def _apply_fixes(
    args: argparse.Namespace, results: list[FileResult], configs: dict[str, Config]
) -> tuple[set[str], int]:
    """Fix the files (or print diffs): the paths that changed, and how many files could not be
    fixed (each named on stderr with the reason; the others are still fixed)."""
    from .fixes import applicable
    from .fixing import NotFixed, fix_file, unified_diff

    changed: set[str] = set()
    total = failed = 0
    shown: list[tuple[str, dict[str, int]]] = []  # --show-fixes: what was fixed, by file and rule
    # one file reached by two names (a symbolic or hard link, perhaps with another extension,
    # so read as another format) is fixed once, by the first name: a second pass would fix it
    # again as the other format, and --fix would never settle
    fixed_by: dict[tuple[int, int], str] = {}
    for r in results:
        if r.error or r.source is None:
            continue
        try:
            st = os.stat(r.path)
            identity = (st.st_dev, st.st_ino)
        except OSError:
            identity = (-1, len(fixed_by))  # gone: fix_file says so
        first = fixed_by.setdefault(identity, r.path)
        if not applicable(r.diagnostics, args.unsafe_fixes):
            continue
        if first != r.path:  # (the first name counts even when it had nothing to fix)
            print(f"copydesk: {r.path}: notice: the same file as {first}; fixed once, by that name", file=sys.stderr)
            continue
        if r.format == "docx":
            print(
                f"copydesk: {r.path}: --fix does not write .docx files; make the changes in Word",
                file=sys.stderr,
            )
            continue
        try:
            fixed = fix_file(
                r.path, r.digest, r.format or "txt", configs[r.path], args.unsafe_fixes, write=not args.diff
            )
        except NotFixed as exc:
            print(f"copydesk: {r.path}: {exc}", file=sys.stderr)
            failed += 1
            continue
        for rule in fixed.dropped:
            print(
                f"copydesk: {r.path}: notice: the fixes of {rule} do not settle on this file; not applied",
                file=sys.stderr,
            )
        if fixed.fixed == fixed.original:
            continue
        changed.add(r.path)
        total += fixed.applied
        if args.diff:
            sys.stdout.write(unified_diff(fixed))
        elif args.show_fixes:
            shown.append((r.path, fixed.by_rule))
    if not args.diff and total and not args.quiet:
        print(
            f"copydesk: fixed {total} problem{'s' if total != 1 else ''} in {len(changed)} "
            f"file{'s' if len(changed) != 1 else ''}",
            file=sys.stderr,
        )
    if shown:  # as Ruff's --show-fixes: each file, and how many of each rule's fixes it took
        lines = [f"Fixed {total} problem{'s' if total != 1 else ''}:"]
        for path, by_rule in shown:
            lines.append(f"- {path}:")
            lines += [f"    {n} × {rule}" for rule, n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))]
        sys.stdout.write("\n".join(lines) + "\n\n")
    return changed, failed


def _ruleset_for(args: argparse.Namespace):
    config = _explicit_config(args.config) or Config()
    return build_ruleset(config), config


def _rules(args: argparse.Namespace) -> int:
    ruleset, _ = _ruleset_for(args)
    running = {c.id for c in ruleset.checks}
    if args.format == "json":
        import json

        rows = [
            {
                "id": spec.id,
                "kind": spec.kind,
                "severity": str(spec.severity),
                "enabled": spec.id in running,
                "description": spec.description,
                "message": spec.message,
                "origin": spec.origin,
            }
            for spec in sorted(ruleset.specs, key=lambda s: s.id)
            if args.all or spec.id in running
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not ruleset.specs:
        print("copydesk: no rules: the configuration loads no pack (builtin-packs = false and no packs)", file=sys.stderr)
        return EXIT_OK
    width = max(len(s.id) for s in ruleset.specs)
    print(f"{'RULE':<{width}}  {'KIND':<16}  {'SEVERITY':<8}  DESCRIPTION")
    for spec in sorted(ruleset.specs, key=lambda s: s.id):
        if spec.id not in running and not args.all:
            continue
        off = "" if spec.id in running else " (off)"
        print(f"{spec.id:<{width}}  {spec.kind:<16}  {str(spec.severity):<8}  {spec.description}{off}")
    return EXIT_OK


def _languagetool(args: argparse.Namespace) -> int:
    from . import ltserver

    def say(line: str) -> None:
        print(f"copydesk: {line}", file=sys.stderr)

    try:
        if args.lt_command == "install":
            ltserver.install(force=args.force, log=say)
        elif args.lt_command == "start":
            config = ConfigResolver(_explicit_config(args.config), {}).for_path("-")  # as `check -` finds it
            port = args.port or dict(config.languagetool).get("port")
            ltserver.start(port=port, memory=args.memory, log=say)
        elif args.lt_command == "stop":
            ltserver.stop(log=say)
        else:
            return ltserver.status(log=lambda line: print(line))
    except ltserver.ServerError as exc:
        say(str(exc))
        return EXIT_ERROR
    return EXIT_OK


def _kb(args: argparse.Namespace) -> int:
    import datetime as dt
    import json

    from . import kbtools

    config = _explicit_config(args.config) or Config()
    if args.kb_command == "check":
        problems = kbtools.check(config.knowledge)
        for p in problems:
            print(p)
        if not problems:
            print("Knowledge base OK.")
        return EXIT_FINDINGS if problems else EXIT_OK
    mapping = {}
    for item in args.post:
        qid, _, post = item.partition("=")
        if not post:
            print(f"copydesk: --post {item!r}: use QID=POST", file=sys.stderr)
            return EXIT_ERROR
        mapping[qid] = post
    try:
        result, notes = kbtools.import_wikidata(Path(args.file), mapping, config.knowledge)
    except (OSError, ValueError, json.JSONDecodeError) as exc:
        print(f"copydesk: {args.file}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except (AttributeError, KeyError, TypeError, IndexError, RecursionError):
        # any other shape than Wikidata's: the parser met a value of the wrong type
        print(f"copydesk: {args.file}: not Wikidata entity JSON (an unexpected shape)", file=sys.stderr)
        return EXIT_ERROR
    for note in notes:
        print(f"copydesk: note: {note}", file=sys.stderr)
    text = kbtools.dump_positions(result, args.as_of or dt.date.today().isoformat())
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    from .explain import explain

    ruleset, config = _ruleset_for(args)
    text = explain(args.rule, ruleset, config)
    if text is None:
        print(f"copydesk: no rule {args.rule!r}; `copydesk rules --all` lists them", file=sys.stderr)
        return EXIT_ERROR
    print(text)
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
