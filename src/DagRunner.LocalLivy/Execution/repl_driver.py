"""LocalLivy's Python interpreter driver: runs Livy session statements in one namespace.

Protocol: one JSON command per line on stdin ({"id", "code", "kind"}); one JSON event per line
on the original stdout ({"event": "ready"} once, then {"event": "result", "id", "output"}), where
"output" is exactly the statement output Livy returns. Everything user code prints outside a
statement's capture (including output of child processes) goes to stderr, the session log.
The driver exits when stdin closes, so it never outlives the server that started it.
"""
import ast
import io
import json
import os
import queue
import re
import signal
import sys
import threading
import traceback
from contextlib import redirect_stdout

# The protocol keeps the real stdout; fd 1 now points to stderr, so stray writes cannot corrupt it.
_protocol = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
os.dup2(2, 1)
sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", buffering=0), encoding="utf-8", line_buffering=True)

_executing = False
_current = None        # id of the statement being executed
_cancelled = set()     # ids the server asked to cancel (possibly before they arrived)
_commands = queue.Queue()
_TOP_FRAME = re.compile(r'\s*File "<stdin>".*in <module>')

# The driver and whatever user code starts are in one process group, which LocalLivy's launcher
# made (the driver's parent) and which the server ends with the session.


def _send(event):
    _protocol.write(json.dumps(event, ensure_ascii=False, allow_nan=False) + "\n")
    _protocol.flush()


def _send_result(count, output):
    # A value JSON cannot carry (NaN, a set, an object) is the statement's error, not the driver's.
    try:
        _send({"event": "result", "id": count, "output": output})
    except (TypeError, ValueError) as e:
        _send({"event": "result", "id": count, "output": _error(count, e)})


def _on_interrupt(signum, frame):
    # Only the statement the server cancelled is interrupted; a late signal never hits the next one.
    if _executing and _current in _cancelled:
        if spark is not None:
            try:
                spark.sparkContext.cancelAllJobs()
            except Exception:  # noqa: BLE001 - best effort, the KeyboardInterrupt below still stops the code
                pass
        raise KeyboardInterrupt()


def _start_spark():
    try:
        from pyspark.sql import SparkSession  # noqa: PLC0415 - optional dependency
    except ImportError as e:
        return None, f"pyspark is not importable by {sys.executable} ({e}); `spark` and `sc` are not defined in this session"
    try:
        name = os.environ.get("LOCAL_LIVY_APP_NAME", "livy-session")
        session = SparkSession.builder.master("local[*]").appName(name).getOrCreate()
        return session, f"SparkSession {session.version} started in local mode; `spark` and `sc` are defined"
    except Exception as e:  # noqa: BLE001 - reported to the session log, the session still runs Python
        return None, f"pyspark is importable but a SparkSession could not start: {e!r}"


def _user_traceback(error):
    # Start at the user's code: the driver's and the parser's frames are noise to the user.
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != "<stdin>":
        tb = tb.tb_next
    # As Livy's fake_shell.py: the last exception only, and without the statement's <module> frame.
    lines = traceback.format_exception(type(error), error, tb, chain=False)
    for i, line in enumerate(lines):
        if _TOP_FRAME.match(line):
            return lines[:1] + lines[i + 1:]
    return lines


def _error(count, error):
    return {
        "status": "error",
        "execution_count": count,
        "ename": type(error).__name__,
        "evalue": str(error),
        "traceback": _user_traceback(error),
    }


def _ok(count, data):
    return {"status": "ok", "execution_count": count, "data": data}


def _split_magic(code):
    """Livy's %json and %table magics: the last line shows a value as JSON or as a table."""
    lines = code.rstrip().split("\n")
    last = lines[-1].strip() if lines else ""
    for magic in ("%json ", "%table "):
        if last.startswith(magic):
            return "\n".join(lines[:-1]), magic.strip(), last[len(magic):].strip()
    return code, None, None


def _table(value):
    # Livy walks dict rows in key order (sorted(row.items())).
    rows = [[v for _, v in sorted(row.items())] if isinstance(row, dict) else list(row) for row in value]
    names = [str(k) for k in sorted(value[0].keys())] if value and isinstance(value[0], dict) else [str(i) for i in range(len(rows[0]) if rows else 0)]
    kinds = {bool: "BOOLEAN_TYPE", int: "INT_TYPE", float: "DOUBLE_TYPE", str: "STRING_TYPE"}
    headers = [{"name": n, "type": kinds.get(type(rows[0][i]), "STRING_TYPE") if rows else "STRING_TYPE"} for i, n in enumerate(names)]
    return {"headers": headers, "data": rows}


def _run_python(code, count, namespace):
    body_code, magic, expression = _split_magic(code)
    captured = io.StringIO()
    tree = ast.parse(body_code, filename="<stdin>", mode="exec")
    last = tree.body[-1] if tree.body and magic is None and isinstance(tree.body[-1], ast.Expr) else None
    with redirect_stdout(captured):
        head = tree.body[:-1] if last is not None else tree.body
        exec(compile(ast.Module(body=head, type_ignores=[]), "<stdin>", "exec"), namespace)
        if last is not None:
            exec(compile(ast.Interactive(body=[last]), "<stdin>", "single"), namespace)
        value = eval(compile(expression, "<stdin>", "eval"), namespace) if magic else None
    if magic == "%json":
        return _ok(count, {"application/json": value})
    if magic == "%table":
        return _ok(count, {"application/vnd.livy.table.v1+json": _table(value)})
    return _ok(count, {"text/plain": captured.getvalue().rstrip("\n")})


def _run_sql(code, count):
    if spark is None:
        raise RuntimeError("sql statements need pyspark, which is not importable here: " + spark_message)
    frame = spark.sql(code)
    rows = [list(row) for row in frame.take(1000)]
    return _ok(count, {"application/json": {"schema": json.loads(frame.schema.json()), "data": rows}})


def _execute(command, namespace):
    global _executing, _current
    count = command["id"]
    _current = count
    _executing = True
    try:
        if count in _cancelled:
            raise KeyboardInterrupt()
        if spark is not None:
            spark.sparkContext.setJobGroup(str(count), f"Livy statement {count}")
        if command.get("kind") == "sql":
            return _run_sql(command["code"], count)
        return _run_python(command["code"], count, namespace)
    except KeyboardInterrupt as e:
        return _error(count, e)
    except Exception as e:  # noqa: BLE001 - user code errors are statement output, as in Livy
        return _error(count, e)
    finally:
        _executing = False


spark, spark_message = _start_spark()
print(spark_message, file=sys.stderr, flush=True)
_namespace = {"__name__": "__main__", "__builtins__": __builtins__}
if spark is not None:
    _namespace["spark"] = spark
    _namespace["sc"] = spark.sparkContext
signal.signal(signal.SIGINT, _on_interrupt)
_send({"event": "ready", "spark": spark is not None, "message": spark_message})

def _read_commands():
    # Statements queue up for the main thread; a cancel names its statement, so it is never lost
    # (it may come before the statement is read) and never hits another statement.
    for line in sys.stdin.buffer:
        command = json.loads(line.decode("utf-8"))
        if "cancel" in command:
            _cancelled.add(command["cancel"])
            if _current == command["cancel"] and _executing:
                signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
        else:
            _commands.put(command)
    _commands.put(None)


threading.Thread(target=_read_commands, name="livy-commands", daemon=True).start()
while True:
    command = _commands.get()
    if command is None:
        break
    _send_result(command["id"], _execute(command, _namespace))
