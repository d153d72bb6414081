# One image for every GLAD Stream service; the command picks the role (streams, worker, console, ...).
# docker build -t glad-stream:0.1.0 .                                  CPU image
# docker build --build-arg MAVEN_PROFILES=gpu -t glad-stream:0.1.0-gpu .   DJL's CUDA natives (pom profile gpu)
FROM maven:3.9-eclipse-temurin-17 AS build
ARG MAVEN_PROFILES=
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests ${MAVEN_PROFILES:+-P${MAVEN_PROFILES}} package

FROM eclipse-temurin:17-jre
# curl serves the compose health checks (/health of the worker, /state of the console).
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --home /app glad && mkdir -p /data/models /data/heatmaps /data/streams \
    && chown -R glad /data
WORKDIR /app
COPY --from=build /src/glad-cli/target/glad-cli-0.1.0-SNAPSHOT.jar /app/glad-cli.jar
COPY --from=build /src/glad-cli/target/lib /app/lib
USER glad
# MALLOC_ARENA_MAX=2: lower peak memory at no cost in speed (docs/BENCHMARKS.md, "Worker").
ENV DJL_OFFLINE=true OMP_WAIT_POLICY=PASSIVE MALLOC_ARENA_MAX=2
ENTRYPOINT ["java", "-Dai.djl.offline=true", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=com.gladstream.schemas", \
            "-cp", "/app/glad-cli.jar:/app/lib/*", "com.gladstream.cli.GladCommand"]
