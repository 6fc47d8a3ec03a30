# syntax=docker/dockerfile:1
# DagRunner in a container: `dagrunner standalone` (the scheduler, the web UI and the embedded local Livy).
#
#   docker build -t dagrunner .
#   docker run -d --name dagrunner -p 8080:8080 \
#     -v "$PWD/dags:/dags" -v "$PWD/templates:/templates" -v dagrunner-home:/home \
#     -v "$PWD/dagrunner.json:/config/dagrunner.json:ro" dagrunner
#
# The web UI listens on 0.0.0.0 (a port published from a container is not loopback), which DagRunner allows
# only with sign-in: the dagrunner.json in /config needs a user, {"web": {"users": [{"name": "ana",
# "passwordHash": "..."}]}}, the hash from `printf '%s\n' "$PASSWORD" | docker run --rm -i dagrunner web hash-password`.
# Without one, standalone stops at start (exit 2) and says so. Any other command runs the same way:
# `docker exec dagrunner dagrunner dags list`, `docker run --rm ... dagrunner dags test my_dag`.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Not global.json: it asks for SDK 10.0.401 or a later feature band, which the sdk:10.0 image of the day may
# not have; the image's own .NET 10 SDK builds it.
COPY Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig ./
COPY src/ src/
# As the tool's RID package ships (DagRunnerShipped in src/DagRunner.Cli/DagRunner.Cli.csproj): self-contained for this
# image's runtime identifier, the framework, Roslyn and DagRunner in one composite ReadyToRun image, so a first load
# of DAG files does not spend its time JIT-compiling Roslyn.
RUN --mount=type=cache,id=dagrunner-nuget,target=/root/.nuget/packages \
    dotnet publish src/DagRunner.Cli -c Release --use-current-runtime -p:DagRunnerShipped=true -o /app

# Self-contained: the image needs only what .NET itself depends on (the runtime, ASP.NET Core included, is in /app).
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
# python3 (3.8 or newer): the embedded local Livy runs Livy sessions, .py batches and its spark-submit with it.
# tini: process 1, which reaps the processes that jobs leave behind and passes `docker stop`'s SIGTERM on
# (the first SIGTERM stops scheduling and leaves running work for the next start).
# The folders belong to the image's non-root user ($APP_UID, "app"): a named volume starts with that owner;
# a bind-mounted folder must be writable by that uid (home) and readable (dags, templates).
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 tini \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /dags /templates /config \
    && chown "$APP_UID" /dags /templates /home
COPY --from=build /app /app

# /home is DagRunner's home (the run store state.db, task logs, the compile cache, the web UI's keys, the local
# Livy's state and WebHDFS root) and the user's HOME too, so everything the process writes is in the volume.
# The compile server is off: this long-running process compiles DAG files in its own warm compiler, and a
# server beside it would be a second ~200 MB process. Settings given here win over dagrunner.json; change them
# with `docker run -e`, e.g. -e DAGRUNNER_WEB_PORT=9090 (and -p 9090:9090).
ENV PATH="/app:${PATH}" \
    HOME=/home \
    DAGRUNNER_DAGS_FOLDER=/dags \
    DAGRUNNER_TEMPLATES_FOLDER=/templates \
    DAGRUNNER_HOME=/home \
    DAGRUNNER_WEB_HOST=0.0.0.0 \
    DAGRUNNER_WEB_PORT=8080 \
    DAGRUNNER_COMPILE_SERVER=off
# dagrunner.json is read from the current folder: mount yours at /config/dagrunner.json.
WORKDIR /config
USER $APP_UID
VOLUME ["/dags", "/templates", "/home"]
EXPOSE 8080
# The UI's stylesheet is served without sign-in: an answer means the web server is up.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/assets/app.css' % os.environ.get('DAGRUNNER_WEB_PORT', '8080'), timeout=4)"]
ENTRYPOINT ["tini", "--", "dagrunner"]
CMD ["standalone"]
