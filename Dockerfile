# One image for every GLAD Stream service; the command picks the role (streams, registry, worker, ...).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/glad-cli/target/glad-cli-0.1.0-SNAPSHOT.jar /app/glad-cli.jar
COPY --from=build /src/glad-cli/target/lib /app/lib
ENV DJL_OFFLINE=true
ENTRYPOINT ["java", "-Dai.djl.offline=true", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=com.gladstream.schemas", \
            "-cp", "/app/glad-cli.jar:/app/lib/*", "com.gladstream.cli.GladCommand"]
