package io.signstream.localstack.synthetic;

/** Both hands plus the mouth opening (body units) at one moment. */
final class SigningPose {
    final HandState dominant = new HandState();
    final HandState other = new HandState();
    double mouth;

    void lerp(SigningPose a, SigningPose b, double w) {
        dominant.lerp(a.dominant, b.dominant, w);
        other.lerp(a.other, b.other, w);
        mouth = a.mouth + w * (b.mouth - a.mouth);
    }
}
