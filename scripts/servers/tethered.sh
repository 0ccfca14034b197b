#!/usr/bin/env bash
# Runs a command until it exits or until the process that owns it (first argument) is gone,
# so a dev server never outlives the launcher or test run that started it.
owner=$1
shift
"$@" &
child=$!
stop() { kill -TERM "$child" 2>/dev/null; wait "$child"; exit $?; }
trap stop TERM INT HUP
while kill -0 "$owner" 2>/dev/null && kill -0 "$child" 2>/dev/null; do
  sleep 1 &
  wait $!
done
if kill -0 "$child" 2>/dev/null; then stop; fi
wait "$child"
