#!/usr/bin/env python3
"""Publish MediaPipe feature files to signstream's features.raw topic, straight from Python.

One Kafka record per sample: key = sample id, value = a signstream.v1.FeatureSample (Protobuf).
The normalization service picks them up, normalizes once, stamps and forwards them.

    pip install kafka-python protobuf numpy          # or Debian: python3-kafka python3-protobuf python3-numpy
    protoc -I ../../wire-contract/src/main/proto --python_out=. signstream/v1/feature_sample.proto
    python3 publish_features.py --bootstrap localhost:9092 --split train \
        --id sample-0001 --glosses "HELLO WORLD" features.npy

A features file is a float32 array [frames, 6516] saved with np.save (.npy), or an .npz whose
'features' array is that. Refused samples show up on features.rejected with a reason header.
"""
import argparse
import sys

import numpy as np
from kafka import KafkaProducer

from signstream.v1 import feature_sample_pb2 as pb

FEATURE_DIMS = 6516
MAX_RECORD_BYTES = 17 * 1024 * 1024  # the topics accept records up to 17 MiB
SPLITS = {"train": pb.TRAIN, "dev": pb.DEV, "test": pb.TEST}


def load_features(path):
    array = np.load(path)
    if path.endswith(".npz"):
        array = array["features"]
    array = np.ascontiguousarray(array, dtype="<f4")
    if array.ndim != 2 or array.shape[1] != FEATURE_DIMS:
        raise ValueError(f"{path}: shape {array.shape}, expected [frames, {FEATURE_DIMS}]")
    return array


def to_record(sample_id, split, glosses, features, signer=""):
    return pb.FeatureSample(
        sample_id=sample_id,
        split=SPLITS[split],
        glosses=glosses.split(),
        frame_count=features.shape[0],
        feature_dims=features.shape[1],
        features=features.tobytes(order="C"),  # float32 little-endian, row-major
        signer=signer,
        source="python:publish_features.py",
    )  # no normalization stamp: raw features


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap", default="localhost:9092")
    parser.add_argument("--topic", default="features.raw")
    parser.add_argument("--split", choices=sorted(SPLITS), required=True)
    parser.add_argument("--id", required=True, help="sample id, [A-Za-z0-9][A-Za-z0-9._-]*")
    parser.add_argument("--glosses", required=True, help="space-separated gloss annotation")
    parser.add_argument("--signer", default="")
    parser.add_argument("file")
    args = parser.parse_args(argv)

    features = load_features(args.file)
    record = to_record(args.id, args.split, args.glosses, features, args.signer)
    producer = KafkaProducer(bootstrap_servers=args.bootstrap, acks="all", max_request_size=MAX_RECORD_BYTES)
    metadata = producer.send(args.topic, key=args.id.encode(), value=record.SerializeToString()).get(timeout=60)
    producer.flush()
    print(f"published {args.id}: {features.shape[0]} frames to {metadata.topic}[{metadata.partition}]@{metadata.offset}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
