# The action's image as the runner builds it from source (action.yml: `image: Dockerfile`), on every job that uses the
# action by branch; releases ship the image Jib builds instead (pom.xml). Debian only, no other image:
#   build:   the jar from the Maven Wrapper on Debian's JDK 17, and a Java runtime of just the modules Gantry loads
#            (jlink), trusting Debian's ca-certificates;
#   runtime: debian:bookworm-slim + that runtime + the jar + an AppCDS archive recorded from a real `gantry action` run
#            in this very stage (paths and files are the ones that run, so the JVM always accepts it).
# Entrypoint: `gantry action` with C1 only, the serial collector and the archive: a promote against a registry takes
# about 230 ms in this image instead of 560 with plain `java -jar`.
FROM debian:bookworm-slim@sha256:88200866dfff7ea7f5cbcb6ec7c8a701889efe6fe859fe64d6990e4b07ea4171 AS build
# The slim image has no man directories, which openjdk's postinst links into.
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless curl >/dev/null \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY src/main src/main
# gantry init renders these templates; the pom packs them into the jar.
COPY workflows-templates workflows-templates
# Where this build is published (release.yml passes its repository), so `gantry init` in the image names it;
# empty in a local build, where init asks for --gantry.
ARG GANTRY_REPOSITORY=""
RUN ./mvnw -B -q package -Dmaven.test.skip=true -Dgantry.launcher.archive.skip=true "-Dgantry.repository=${GANTRY_REPOSITORY}"
# java.logging for OkHttp and okio; jdk.crypto.ec for TLS (ECDHE: without it every HTTPS handshake fails);
# jdk.unsupported for sun.misc.Signal (SIGTERM/SIGINT mid-promote roll back what moved). jdeps also
# names java.sql and java.desktop: only Jackson's optional handlers and a commons-lang3 class Gantry never loads.
# (--strip-java-debug-attributes, not --strip-debug: Debian's jlink would also run objcopy on libraries it ships
# stripped already.)
RUN jlink --add-modules java.base,java.logging,jdk.crypto.ec,jdk.unsupported \
      --strip-java-debug-attributes --no-man-pages --no-header-files --output /opt/java \
 && cp /etc/ssl/certs/java/cacerts /opt/java/lib/security/cacerts \
 && mkdir /opt/gantry && cp target/gantry.jar /opt/gantry/
COPY examples/hello /opt/gantry/training/hello
COPY scripts/appcds-archive.sh /opt/gantry/training/

FROM debian:bookworm-slim@sha256:88200866dfff7ea7f5cbcb6ec7c8a701889efe6fe859fe64d6990e4b07ea4171
COPY --from=build /opt/java /opt/java
COPY --from=build /opt/gantry /opt/gantry
# AppCDS: the classes loaded by a promote on an OCI layout run as the action and by a promote against a registry, in
# one static archive made by scripts/appcds-archive.sh (bench/promote.sh makes its "shipped" archive with the same
# script), in this very stage: paths and files are the ones that run, so the JVM always accepts it.
RUN bash /opt/gantry/training/appcds-archive.sh /opt/java/bin/java /opt/gantry/gantry.jar /opt/gantry/gantry.jsa \
      /opt/gantry/training/hello >/dev/null \
 && rm -rf /opt/gantry/training
ENTRYPOINT ["/opt/java/bin/java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", \
    "-XX:SharedArchiveFile=/opt/gantry/gantry.jsa", "-jar", "/opt/gantry/gantry.jar", "action"]
