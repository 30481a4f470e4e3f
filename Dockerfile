# A small image of apiconform: one static binary on distroless "static"
# (CA certificates for https:// targets, /etc/passwd with a nonroot user, no
# shell), reports written to the /reports volume.
#
#   docker build --build-arg VERSION=$(git describe --tags --always) -t apiconform .
#   docker run --rm -v "$PWD/reports:/reports" -e APICONFORM_BASIC_AUTH \
#     apiconform run --target https://staging.example.com --contract genesys-ucs \
#     --junit-report junit.xml --json-report results.json --html-report report.html
#
# /reports is the working directory: relative report paths land in it, and
# an apiconform.yaml in it is read as the configuration file. The image
# runs as the nonroot user (65532): a host directory mounted there must be
# writable by it (or run with --user "$(id -u)").

FROM golang:1.26 AS build
WORKDIR /src
# The modules first, in a layer of their own: it is rebuilt only when
# go.mod or go.sum change.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# CGO_ENABLED=0: a static binary, which needs no C library in the image.
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/apiconform ./cmd/apiconform \
 && mkdir -p /out/reports

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/apiconform /usr/local/bin/apiconform
COPY --from=build --chown=65532:65532 /out/reports /reports
WORKDIR /reports
VOLUME ["/reports"]
ENTRYPOINT ["apiconform"]
CMD ["help"]
