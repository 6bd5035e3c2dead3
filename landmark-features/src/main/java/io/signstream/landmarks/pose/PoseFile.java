package io.signstream.landmarks.pose;

/** A whole pose-format file. */
public record PoseFile(PoseHeader header, PoseBody body) {
}
