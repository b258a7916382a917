#!/usr/bin/env python3
"""Varied ASK requests for the peer harness: every body differs in timestamp, user, device,
request id, artist and slot set.

usage: gen_requests.py OUT_DIR [--count N] [--seed S]

Writes, for each kind K in launch, whats_on, play, stopped and mixed (all four interleaved):
  OUT_DIR/varied_K.jsonl  N request bodies, one per line (what varied.lua posts)
  OUT_DIR/varied_K.json   the first of them (what the harness probes and compares)
Timestamps fall anywhere in the generated schedule's 14 days; artists are the generator's 200;
what's on carries no slot, a date, a genre, a station, date + genre or date + "tonight"; play
names the artist in both the `performer` slot (onair's model) and the `artist` slot (the peers').
Same arguments -> byte-identical files.
"""
import argparse
import json
import os
import random
from datetime import datetime, timedelta, timezone

EPOCH = datetime(2026, 11, 20, tzinfo=timezone.utc)
ADJECTIVES = ["Velvet", "Electric", "Midnight", "Golden", "Silver", "Crimson", "Wild",
              "Quiet", "Lunar", "Neon", "Hollow", "Paper", "Iron", "Glass", "Northern",
              "Burning", "Gentle", "Static", "Wandering", "Blue"]
NOUNS = ["Owls", "Rivers", "Foxes", "Engines", "Lanterns", "Harbors", "Sparrows",
         "Machines", "Tides", "Orchards"]
ARTISTS = [f"The {a} {n}" for a in ADJECTIVES for n in NOUNS]
GENRES = ["rock", "jazz", "classical", "electronic", "folk", "hip hop",
          "blues", "pop", "soul", "world"]
APP = "amzn1.ask.skill.bench"


def slot(name, value):
    return {"name": name, "value": value, "confirmationStatus": "NONE"}


def envelope(rng, n, request, session=True):
    user = f"amzn1.ask.account.BENCHUSER{rng.randrange(100000):06d}"
    device = f"amzn1.ask.device.BENCHDEVICE{rng.randrange(100000):06d}"
    when = EPOCH + timedelta(seconds=rng.randrange(14 * 24 * 3600))
    request["requestId"] = f"amzn1.echo-api.request.varied-{n:06d}"
    request["timestamp"] = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    request["locale"] = "en-US"
    env = {
        "version": "1.0",
        "context": {
            "AudioPlayer": {"playerActivity": "IDLE"},
            "System": {
                "application": {"applicationId": APP},
                "user": {"userId": user},
                "device": {"deviceId": device, "supportedInterfaces": {"AudioPlayer": {}}},
                "apiEndpoint": "https://api.amazonalexa.com",
            },
        },
        "request": request,
    }
    if session:
        env["session"] = {"new": request["type"] == "LaunchRequest",
                          "sessionId": f"amzn1.echo-api.session.varied-{n:06d}",
                          "application": {"applicationId": APP}, "attributes": {},
                          "user": {"userId": user}}
    return env, when


def intent(name, slots):
    return {"type": "IntentRequest", "dialogState": "COMPLETED",
            "intent": {"name": name, "confirmationStatus": "NONE", "slots": slots}}


def launch(rng, n):
    return envelope(rng, n, {"type": "LaunchRequest"})[0]


def whats_on(rng, n):
    env, when = envelope(rng, n, intent("WhatsOnIntent", {}))
    day = (when + timedelta(days=rng.choice([0, 0, 1]))).strftime("%Y-%m-%d")
    slots = {}
    shape = n % 6
    if shape in (1, 4, 5):
        slots["date"] = slot("date", day)
    if shape in (2, 4):
        slots["genre"] = slot("genre", rng.choice(GENRES))
    if shape == 3:
        slots["station"] = slot("station", f"station {rng.randrange(1, 21):02d}")
    if shape == 5:
        slots["time"] = slot("time", "NI")
    env["request"]["intent"]["slots"] = slots
    return env


def play(rng, n):
    artist = rng.choice(ARTISTS).lower()
    slots = {"performer": slot("performer", artist), "artist": slot("artist", artist)}
    return envelope(rng, n, intent("PlayLiveIntent", slots))[0]


def stopped(rng, n):
    request = {"type": "AudioPlayer.PlaybackStopped", "token": f"evt-{rng.randrange(100000):06d}",
               "offsetInMilliseconds": rng.randrange(3_600_000)}
    return envelope(rng, n, request, session=False)[0]


KINDS = {"launch": launch, "whats_on": whats_on, "play": play, "stopped": stopped}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out_dir")
    p.add_argument("--count", type=int, default=5000)
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args()
    os.makedirs(a.out_dir, exist_ok=True)
    rng = random.Random(a.seed)
    files = dict((k, []) for k in list(KINDS) + ["mixed"])
    for n in range(a.count):
        for kind, make in KINDS.items():
            files[kind].append(make(rng, n))
        mixed_kind = list(KINDS)[n % len(KINDS)]
        files["mixed"].append(KINDS[mixed_kind](rng, n))
    for kind, bodies in files.items():
        base = os.path.join(a.out_dir, f"varied_{kind}")
        with open(base + ".jsonl", "w") as f:
            for body in bodies:
                f.write(json.dumps(body, separators=(",", ":")) + "\n")
        with open(base + ".json", "w") as f:
            json.dump(bodies[0], f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
