#!/usr/bin/env python3
"""spark-submit for DagRunner's local mode: submits the application to a LocalLivy as a batch.

Why: an operator that runs spark-submit and then checks the outcome in YARN must be tested against
the same YARN REST API it meets in production. This script takes spark-submit's command line, posts
it to LocalLivy (POST /batches), and prints what Spark's YARN client prints (the application id,
the application reports), so the caller can read the id from the output and verify it in
LocalLivy's ResourceManager view (/ws/v1/cluster/apps/{id}).

The LocalLivy to submit to comes from the DAGRUNNER_LOCAL_LIVY environment variable (its base URL).
Python 3.8+, standard library only. LocalLivy writes this file to <StateFolder>/bin/spark-submit.

Exit codes: 0 success; 1 a usage error, LocalLivy unreachable or refusing, or an application that
did not succeed (cluster mode waiting for completion, client mode); 143 after SIGTERM, 130 after SIGINT.
"""
import json
import os
import signal
import sys
import time
import urllib.error
import urllib.request
from http.client import HTTPException

PREFIX = "spark-submit (DagRunner local): "
URL_VARIABLE = "DAGRUNNER_LOCAL_LIVY"
POLL_SECONDS = 0.5
# After SIGTERM in client mode: how long to wait for YARN to show the deleted batch's app ended.
KILL_WAIT_SECONDS = 10
# LocalLivyOptions.ClusterModeQuirkConfKey.
QUIRK_KEY = "livy.local.cluster-mode-quirk"
WAIT_KEY = "spark.yarn.submit.waitAppCompletion"
FINAL_YARN_STATES = ("FINISHED", "FAILED", "KILLED")
FINAL_BATCH_STATES = ("success", "dead", "killed", "error")

# Options that take a value, and the attribute each one sets.
VALUE_OPTIONS = {
    "--master": "master",
    "--deploy-mode": "deploy_mode",
    "--name": "name",
    "--class": "class_name",
    "--queue": "queue",
    "--proxy-user": "proxy_user",
    "--jars": "jars",
    "--py-files": "py_files",
    "--files": "files",
    "--archives": "archives",
    "--packages": "packages",
    "--driver-memory": "driver_memory",
    "--driver-cores": "driver_cores",
    "--executor-memory": "executor_memory",
    "--executor-cores": "executor_cores",
    "--num-executors": "num_executors",
    "--conf": "conf",
}
FLAG_OPTIONS = {"--verbose": "verbose", "-v": "verbose", "--help": "help", "-h": "help"}
COUNT_OPTIONS = ("--driver-cores", "--executor-cores", "--num-executors")

USAGE = """Usage: spark-submit [options] <app .py file | local:/hdfs:/file: URI> [app arguments]

DagRunner's local spark-submit: submits to the LocalLivy named by $DAGRUNNER_LOCAL_LIVY.
Options: --master, --deploy-mode client|cluster, --name, --class, --queue, --proxy-user,
  --jars, --py-files, --files, --archives, --packages (comma-separated),
  --driver-memory, --driver-cores, --executor-memory, --executor-cores, --num-executors,
  --conf key=value (repeatable), --verbose, --help. Also --option=value."""


class UsageError(Exception):
    """The command line cannot be run; the message says what was wrong."""


class SubmitError(Exception):
    """LocalLivy could not be reached, refused the batch, or answered unexpectedly."""


class Interrupted(BaseException):
    """SIGTERM or SIGINT arrived; a BaseException so that no `except Exception` swallows it."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


class Options:
    """spark-submit's command line, split into its options, the application and its arguments."""

    def __init__(self):
        for attribute in set(VALUE_OPTIONS.values()) | set(FLAG_OPTIONS.values()):
            setattr(self, attribute, None)
        self.conf = []
        self.application = None
        self.app_args = []


def parse(argv):
    """Parses by hand: options come first, then the application; everything after the application
    is the application's, unchanged, even when it looks like an option (argparse cannot keep that)."""
    options = Options()
    i = 0
    while i < len(argv):
        arg = argv[i]
        if not arg.startswith("-") or arg == "-":
            options.application = arg
            options.app_args = argv[i + 1:]
            return options
        name, has_inline, inline = arg.partition("=")
        if name in FLAG_OPTIONS:
            if has_inline:
                raise UsageError("option {} takes no value (got '{}')".format(name, arg))
            setattr(options, FLAG_OPTIONS[name], True)
            if options.help:
                return options
        elif name in VALUE_OPTIONS:
            if has_inline:
                value = inline
            elif i + 1 < len(argv):
                i += 1
                value = argv[i]
            else:
                raise UsageError("option {} needs a value, but it is the last argument".format(name))
            if name == "--conf":
                options.conf.append(value)
            else:
                setattr(options, VALUE_OPTIONS[name], value)
        else:
            raise UsageError(
                "Unrecognized option: {} (options go before the application; run with --help for the ones "
                "this local spark-submit accepts)".format(name))
        i += 1
    return options


def conf_map(entries):
    """--conf key=value entries as a dict; the value keeps everything after the first '=', and a
    later entry for a key wins, as in spark-submit."""
    conf = {}
    for entry in entries:
        key, has_value, value = entry.partition("=")
        if not has_value or not key:
            raise UsageError("--conf {!r} is not key=value (Spark config without '=')".format(entry))
        conf[key] = value
    return conf


def file_uri(path):
    """What LocalLivy reads for a path given to spark-submit. A scheme-less path is a file on this
    machine, as for spark-submit: LocalLivy resolves scheme-less paths against its jobs root, so it is
    sent as file:<absolute path>, which LocalLivy accepts when the file is inside its jobs root.
    URIs with a scheme (local:, hdfs:, file:) go as given."""
    colon = path.find(":")
    scheme = path[:colon]
    has_scheme = colon > 1 and scheme[0].isalpha() and all(c.isalnum() or c in "+-." for c in scheme)
    return path if has_scheme else "file:" + os.path.abspath(path)


def file_list(value):
    return [file_uri(item.strip()) for item in value.split(",") if item.strip()]


def whole_number(option, value):
    try:
        return int(value)
    except ValueError:
        raise UsageError("{} must be a whole number (got '{}')".format(option, value)) from None


def is_true(conf, key):
    return conf.get(key, "").strip().lower() == "true"


def is_false(conf, key):
    return conf.get(key, "").strip().lower() == "false"


def batch_request(options, conf):
    """The POST /batches body. No `name`: Livy batch names must be unique, and a DAG submits the same
    name again on every run; the name goes as spark.app.name, which LocalLivy gives the YARN app."""
    if options.name:
        conf["spark.app.name"] = options.name
    if options.packages:
        conf["spark.jars.packages"] = options.packages
    body = {"file": file_uri(options.application), "args": list(options.app_args), "conf": conf}
    if options.class_name:
        body["className"] = options.class_name
    for option, field in (("jars", "jars"), ("py_files", "pyFiles"), ("files", "files"), ("archives", "archives")):
        if getattr(options, option):
            body[field] = file_list(getattr(options, option))
    for option, field in (("driver_memory", "driverMemory"), ("executor_memory", "executorMemory"), ("proxy_user", "proxyUser")):
        if getattr(options, option):
            body[field] = getattr(options, option)
    for option in COUNT_OPTIONS:
        value = getattr(options, VALUE_OPTIONS[option])
        if value is not None:
            field = {"--driver-cores": "driverCores", "--executor-cores": "executorCores", "--num-executors": "numExecutors"}[option]
            body[field] = whole_number(option, value)
    queue = options.queue or conf.get("spark.yarn.queue")
    if queue:
        body["queue"] = queue
    return body


def out(line):
    print(line, file=sys.stdout)


def err(line):
    print(line, file=sys.stderr)


def log(level, source, message):
    """A line as Spark's log4j console appender writes it: `yy/MM/dd HH:mm:ss LEVEL Source: message`."""
    err("{} {} {}: {}".format(time.strftime("%y/%m/%d %H:%M:%S"), level, source, message))


def answer_text(body):
    """LocalLivy's error body: a bare JSON string, {"msg": ...}, a RemoteException, or plain text."""
    if isinstance(body, str):
        return body
    if isinstance(body, dict):
        if "msg" in body:
            return str(body["msg"])
        if "RemoteException" in body:
            return str(body["RemoteException"].get("message"))
    return json.dumps(body)


class Livy:
    """LocalLivy's REST APIs at one base URL. Proxy variables are ignored: the server is local."""

    def __init__(self, base_url):
        self.base_url = base_url
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def call(self, method, path, body=None, timeout=30):
        """(status, parsed JSON or text) of one request; an unreachable server is a SubmitError."""
        url = self.base_url + path
        request = urllib.request.Request(
            url,
            data=None if body is None else json.dumps(body).encode("utf-8"),
            method=method,
            headers={"Accept": "application/json", "Content-Type": "application/json", "X-Requested-By": "spark-submit"})
        try:
            with self._opener.open(request, timeout=timeout) as response:
                return response.status, self._parse(response.read())
        except urllib.error.HTTPError as e:
            return e.code, self._parse(e.read())
        except (urllib.error.URLError, OSError, HTTPException) as e:
            reason = getattr(e, "reason", None) or e
            raise SubmitError("cannot reach LocalLivy at {} (from {}): {} {} failed: {}".format(
                self.base_url, URL_VARIABLE, method, url, reason)) from None

    def get(self, path, what):
        status, body = self.call("GET", path)
        if status != 200:
            raise SubmitError("LocalLivy at {} answered HTTP {} to GET {} ({}): {}".format(
                self.base_url, status, path, what, answer_text(body)))
        return body

    @staticmethod
    def _parse(data):
        text = data.decode("utf-8", "replace")
        try:
            return json.loads(text) if text else None
        except ValueError:
            return text


def output_lines(log_answer):
    """The driver's output in a GET /batches/{id}/log answer: the lines between Livy's "stdout: "
    and "\\nstderr: " markers (LocalLivy merges the process's stderr into stdout)."""
    lines = log_answer.get("log") or []
    start = lines.index("stdout: ") + 1 if "stdout: " in lines else 0
    end = lines.index("\nstderr: ") if "\nstderr: " in lines else len(lines)
    return lines[start:end]


def unseen(previous, current):
    """The lines of `current` not in `previous`. Livy keeps a rolling window of the log
    (livy.cache-log.size), so offsets shift once it is full: `current` is `previous` less some
    lines at the front, plus new ones. The longest end of `previous` that starts `current` was
    printed already. Returns (new lines, whether the window rolled past lines never seen)."""
    if current[:len(previous)] == previous:
        return current[len(previous):], False
    for overlap in range(min(len(previous), len(current)), 0, -1):
        if previous[len(previous) - overlap:] == current[:overlap]:
            return current[overlap:], False
    return current, len(previous) > 0


class Submission:
    """One spark-submit run: submit, follow the app in YARN, and decide the exit code."""

    def __init__(self, livy, options, conf, request):
        self.livy = livy
        self.options = options
        self.request = request
        self.cluster_mode = options.deploy_mode == "cluster"
        self.wait = not is_false(conf, WAIT_KEY)
        self.quirk = is_true(conf, QUIRK_KEY)
        self.batch_id = None
        self.app_id = None
        self.printed = []
        self.follow_log = not self.cluster_mode
        # Signals are held while the batch is being created, so that a batch is never created
        # without this script knowing its id (it could not delete it).
        self.holding_signals = False
        self.held_signal = None

    def on_signal(self, signum, _frame):
        if self.holding_signals:
            self.held_signal = signum
            return
        self.interrupt(signum)

    @staticmethod
    def interrupt(signum):
        # Later signals must not interrupt the cleanup of the first one.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise Interrupted(signum)

    def run(self):
        self.create_batch()
        self.app_id = self.wait_for_app_id()
        log("INFO", "Client", "Submitted application {}".format(self.app_id))
        return self.monitor()

    def create_batch(self):
        # Signals are held until the batch's id is known (or known not to exist): a signal in between would
        # leave a batch this script cannot delete. A held signal wins over a refused POST (exit 143/130).
        self.holding_signals = True
        try:
            try:
                status, body = self.livy.call("POST", "batches", self.request)
            except SubmitError:
                if self.held_signal is not None:
                    self.holding_signals = False
                    self.interrupt(self.held_signal)
                raise
            if status == 201 and isinstance(body, dict) and "id" in body:
                self.batch_id = body["id"]
        finally:
            self.holding_signals = False
        if self.batch_id is None and self.held_signal is not None:
            self.interrupt(self.held_signal)
        if self.batch_id is None:
            raise SubmitError("LocalLivy at {} refused the batch (POST /batches answered HTTP {}): {}".format(
                self.livy.base_url, status, answer_text(body)))
        log("INFO", "Client", "Requesting a new application from LocalLivy at {} (batch {})".format(self.livy.base_url, self.batch_id))
        if self.held_signal is not None:
            self.interrupt(self.held_signal)

    def wait_for_app_id(self):
        """Polls the batch until YARN has an app for it; a batch that ends without one failed
        before YARN saw it (a missing file): its log says why."""
        while True:
            batch = self.livy.get("batches/{}".format(self.batch_id), "the batch just submitted")
            if batch.get("appId"):
                return batch["appId"]
            if batch.get("state") in FINAL_BATCH_STATES:
                answer = self.livy.get("batches/{}/log?from=0&size=-1".format(self.batch_id), "its log")
                for line in output_lines(answer):
                    err(line)
                raise SubmitError("LocalLivy batch {} ended ({}) before YARN accepted an application for it; its log is above".format(
                    self.batch_id, batch.get("state")))
            time.sleep(POLL_SECONDS)

    def monitor(self):
        """Reports the app as Spark's yarn Client does: a line on each state change, the details on
        the first and the last report. Returns the exit code."""
        last_state = None
        while True:
            app = self.yarn_app()
            state = app.get("state")
            # After the YARN read: once YARN shows the end, the log holds all the output.
            self.stream_output()
            final = state in FINAL_YARN_STATES
            if state != last_state:
                log("INFO", "Client", "Application report for {} (state: {})".format(self.app_id, state))
                if last_state is None or final:
                    log("INFO", "Client", report_details(app))
                last_state = state
            if self.cluster_mode and not self.wait:
                return self.fire_and_forget(app)
            if final:
                return self.outcome(app)
            time.sleep(POLL_SECONDS)

    def yarn_app(self):
        return self.livy.get("ws/v1/cluster/apps/{}".format(self.app_id), "YARN's report of the application")["app"]

    def stream_output(self):
        """Client mode: the driver's new output lines to stdout."""
        if not self.follow_log:
            return
        status, answer = self.livy.call("GET", "batches/{}/log?from=0&size=-1".format(self.batch_id))
        if status != 200 or not isinstance(answer, dict):
            self.follow_log = False
            log("WARN", "Client", "cannot read the driver's output any more (GET /batches/{}/log answered HTTP {}: {}); following YARN only".format(
                self.batch_id, status, answer_text(answer)))
            return
        current = output_lines(answer)
        new, lost = unseen(self.printed, current)
        if lost:
            log("WARN", "Client", "the driver printed more lines between two polls than LocalLivy keeps (livy.cache-log.size); some were not shown")
        for line in new:
            out(line)
        self.printed = current

    def fire_and_forget(self, app):
        # spark.yarn.submit.waitAppCompletion=false: Spark reports once and leaves the app running.
        if app.get("state") in ("FAILED", "KILLED"):
            err('Exception in thread "main" org.apache.spark.SparkException: Application {} finished with status: {}'.format(
                self.app_id, app.get("state")))
            return 1
        return 0

    def outcome(self, app):
        state, final_status = app.get("state"), app.get("finalStatus")
        if final_status == "SUCCEEDED":
            return 0
        if not self.cluster_mode:
            return 1
        if self.quirk:
            # A spark-submit that claims success while the app failed: the caller must check YARN.
            return 0
        if state == "FAILED" or final_status == "FAILED":
            if app.get("diagnostics"):
                log("ERROR", "Client", "Application diagnostics message: {}".format(app["diagnostics"]))
            message = "Application {} finished with failed status".format(self.app_id)
        elif state == "KILLED" or final_status == "KILLED":
            message = "Application {} is killed".format(self.app_id)
        else:
            message = "The final status of application {} is undefined".format(self.app_id)
        err('Exception in thread "main" org.apache.spark.SparkException: ' + message)
        return 1

    def interrupted(self, signum):
        """Client mode: the driver dies with spark-submit, so the batch is deleted (which kills the
        app) and YARN is watched until it shows the end. Cluster mode: the app runs on."""
        code = 143 if signum == signal.SIGTERM else 130
        name = "SIGTERM" if signum == signal.SIGTERM else "SIGINT"
        if self.batch_id is None:
            log("INFO", "Client", "Interrupted by {} before LocalLivy created a batch".format(name))
            return code
        if self.cluster_mode:
            log("INFO", "Client", "Interrupted by {}; application {} keeps running (cluster mode)".format(name, self.app_id or "(batch {})".format(self.batch_id)))
            return code
        log("INFO", "Client", "Interrupted by {}; deleting LocalLivy batch {}, which kills application {}".format(name, self.batch_id, self.app_id))
        try:
            status, body = self.livy.call("DELETE", "batches/{}".format(self.batch_id), timeout=60)
            if status != 200:
                log("ERROR", "Client", "LocalLivy answered HTTP {} to DELETE /batches/{}: {}".format(status, self.batch_id, answer_text(body)))
            elif self.app_id:
                self.wait_for_end()
        except SubmitError as e:
            err(PREFIX + str(e))
        return code

    def wait_for_end(self):
        deadline = time.monotonic() + KILL_WAIT_SECONDS
        while True:
            app = self.yarn_app()
            state = app.get("state")
            if state in FINAL_YARN_STATES:
                log("INFO", "Client", "Application report for {} (state: {})".format(self.app_id, state))
                log("INFO", "Client", report_details(app))
                return
            if time.monotonic() >= deadline:
                log("WARN", "Client", "application {} is still {} in YARN {} s after its batch was deleted".format(self.app_id, state, KILL_WAIT_SECONDS))
                return
            time.sleep(POLL_SECONDS / 5)


def report_details(app):
    """The block Spark's yarn Client logs with a report (Client.formatReportDetails)."""
    host = app.get("amHostHttpAddress")
    details = (
        ("client token", None),
        ("diagnostics", app.get("diagnostics")),
        ("ApplicationMaster host", host.split(":")[0] if host else None),
        ("ApplicationMaster RPC port", "-1"),
        ("queue", app.get("queue")),
        ("start time", str(app.get("startedTime"))),
        ("final status", app.get("finalStatus")),
        ("tracking URL", app.get("trackingUrl")),
        ("user", app.get("user")),
    )
    return "".join("\n\t {}: {}".format(key, value if value else "N/A") for key, value in details)


def base_url():
    url = os.environ.get(URL_VARIABLE, "").strip()
    if not url:
        raise UsageError("{} is not set; it names the LocalLivy this script submits to, e.g. http://127.0.0.1:8998/".format(URL_VARIABLE))
    if not url.startswith(("http://", "https://")):
        raise UsageError("{} must be the http:// or https:// base URL of a LocalLivy (got '{}')".format(URL_VARIABLE, url))
    return url if url.endswith("/") else url + "/"


def prepare(argv):
    """The parsed command line and the batch request, or a UsageError."""
    options = parse(argv)
    if options.help:
        return options, None, None
    if options.application is None:
        raise UsageError("Must specify a primary resource (JAR or Python file) after the options")
    if options.application == "":
        raise UsageError("the application (the first argument after the options) is an empty string")
    conf = conf_map(options.conf)
    # Livy refuses these two (its spark-blacklist.conf); spark-submit reads them as --master and --deploy-mode.
    options.master = options.master or conf.pop("spark.master", None)
    deploy_conf = conf.pop("spark.submit.deployMode", None)
    options.deploy_mode = options.deploy_mode or deploy_conf or "client"
    if options.deploy_mode not in ("client", "cluster"):
        raise UsageError('--deploy-mode must be either "client" or "cluster" (got \'{}\')'.format(options.deploy_mode))
    return options, conf, batch_request(options, conf)


def verbose(options, request):
    err("Parsed arguments:")
    for option, attribute in sorted(VALUE_OPTIONS.items()):
        if option != "--conf":
            value = getattr(options, attribute)
            err("  {:<20}{}".format(attribute, "null" if value is None else value))
    err("  {:<20}{}".format("primaryResource", options.application))
    err("  {:<20}{}".format("childArgs", " ".join("[{}]".format(a) for a in options.app_args)))
    err("LocalLivy batch request: " + json.dumps(request))


def main(argv):
    sys.stdout.reconfigure(line_buffering=True, errors="backslashreplace")
    sys.stderr.reconfigure(line_buffering=True, errors="backslashreplace")
    try:
        options, conf, request = prepare(argv)
        if options.help:
            err(USAGE)
            return 0
        livy = Livy(base_url())
    except UsageError as e:
        err(PREFIX + str(e))
        return 1
    if options.verbose:
        verbose(options, request)

    submission = Submission(livy, options, conf, request)
    signal.signal(signal.SIGTERM, submission.on_signal)
    signal.signal(signal.SIGINT, submission.on_signal)
    try:
        return submission.run()
    except Interrupted as interruption:
        return submission.interrupted(interruption.signum)
    except SubmitError as e:
        err(PREFIX + str(e))
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
