package io.signstream.localstack.synthetic;

import static io.signstream.localstack.synthetic.SignerHeldOutDataset.FACE;
import static io.signstream.localstack.synthetic.SignerHeldOutDataset.FACE_FIRST;
import static io.signstream.localstack.synthetic.SignerHeldOutDataset.HAND;
import static io.signstream.localstack.synthetic.SignerHeldOutDataset.LEFT_HAND_FIRST;
import static io.signstream.localstack.synthetic.SignerHeldOutDataset.RIGHT_HAND_FIRST;

/**
 * The signer's body as MediaPipe Holistic's 543 landmarks: hands from a {@link SigningPose} (finger joints from the
 * curls, turned and pointed), arms that follow the hands, head, legs and a face mesh that nods and mouths.
 */
final class SignerBody {

    private static final double UPPER_ARM = 1.5;
    private static final double FOREARM = 1.4;

    private final double[][] faceMesh = mesh();

    /**
     * Every landmark in body units (x to the signer's left, y down, z towards the camera negative; the shoulders'
     * centre at 0, half a shoulder width = 1); hands' z also relative to their wrist in {@code handLocalZ}.
     */
    void place(SigningPose pose, boolean leftHanded, double nod, double turn, double[] body, double[] handLocalZ) {
        // the hands: the right-handed pose, mirrored for a left-handed signer (the dominant hand becomes the left)
        double mirror = leftHanded ? -1 : 1;
        int dominantFirst = leftHanded ? LEFT_HAND_FIRST : RIGHT_HAND_FIRST;
        int otherFirst = leftHanded ? RIGHT_HAND_FIRST : LEFT_HAND_FIRST;
        hand(pose.dominant, 1, mirror, body, dominantFirst, handLocalZ);
        hand(pose.other, -1, mirror, body, otherFirst, handLocalZ);

        // pose: head, shoulders, arms following the hands, hips and legs (below the image, as MediaPipe reports them)
        double[][] head = {{0, -1.45, -0.6}, {0.1, -1.62, -0.5}, {0.17, -1.63, -0.5}, {0.24, -1.62, -0.45},
                {-0.1, -1.62, -0.5}, {-0.17, -1.63, -0.5}, {-0.24, -1.62, -0.45}, {0.45, -1.55, -0.1},
                {-0.45, -1.55, -0.1}, {0.12, -1.28, -0.5}, {-0.12, -1.28, -0.5}};
        for (int p = 0; p < head.length; p++) {
            set(body, p, head[p][0] + turn, head[p][1] + nod, head[p][2]);
        }
        set(body, 11, 1, 0, 0);
        set(body, 12, -1, 0, 0);
        arm(body, 11, 13, 15, LEFT_HAND_FIRST, 1);
        arm(body, 12, 14, 16, RIGHT_HAND_FIRST, -1);
        double[][] lower = {{0.6, 2.7, 0}, {-0.6, 2.7, 0}, {0.62, 4.8, 0}, {-0.62, 4.8, 0}, {0.62, 6.8, 0.1},
                {-0.62, 6.8, 0.1}, {0.64, 7.0, 0.2}, {-0.64, 7.0, 0.2}, {0.66, 7.1, -0.3}, {-0.66, 7.1, -0.3}};
        for (int p = 0; p < lower.length; p++) {
            set(body, 23 + p, lower[p][0], lower[p][1], lower[p][2]);
        }
        // face: the mesh follows the head; the lower lip and jaw open with the mouthing
        for (int k = 0; k < FACE; k++) {
            double[] point = faceMesh[k];
            double open = point[3] > 0 ? pose.mouth * point[3] : 0;
            set(body, FACE_FIRST + k, point[0] + turn, point[1] + nod + open, point[2]);
        }
    }

    /** The pose's shoulder, elbow, wrist and hand points of one arm, following the hand block starting at {@code hand}. */
    private static void arm(double[] body, int shoulder, int elbow, int wrist, int hand, int side) {
        double sx = body[3 * shoulder];
        double sy = body[3 * shoulder + 1];
        double sz = body[3 * shoulder + 2];
        double wx = body[3 * hand];
        double wy = body[3 * hand + 1];
        double wz = body[3 * hand + 2];
        double dx = wx - sx;
        double dy = wy - sy;
        double dz = wz - sz;
        double d = Math.max(1e-6, Math.sqrt(dx * dx + dy * dy + dz * dz));
        double ex = dx / d;
        double ey = dy / d;
        double ez = dz / d;
        double reach = Math.min(d, 0.999 * (UPPER_ARM + FOREARM));
        double along = (UPPER_ARM * UPPER_ARM - FOREARM * FOREARM + reach * reach) / (2 * reach);
        double out = Math.sqrt(Math.max(0, UPPER_ARM * UPPER_ARM - along * along));
        // the elbow bends outwards and down
        double nx = side;
        double ny = 1;
        double nz = 0.3;
        double dot = nx * ex + ny * ey + nz * ez;
        nx -= dot * ex;
        ny -= dot * ey;
        nz -= dot * ez;
        double norm = Math.max(1e-9, Math.sqrt(nx * nx + ny * ny + nz * nz));
        set(body, elbow, sx + along * ex + out * nx / norm, sy + along * ey + out * ny / norm,
                sz + along * ez + out * nz / norm);
        copyLandmark(body, hand, wrist);
        copyLandmark(body, hand + 17, wrist + 2); // pinky
        copyLandmark(body, hand + 5, wrist + 4);  // index
        copyLandmark(body, hand + 2, wrist + 6);  // thumb
    }

    private static void copyLandmark(double[] body, int from, int to) {
        System.arraycopy(body, 3 * from, body, 3 * to, 3);
    }

    // MediaPipe hand: 0 wrist; thumb 1-4 (CMC, MCP, IP, tip); index 5-8, middle 9-12, ring 13-16, pinky 17-20
    // (MCP, PIP, DIP, tip). Palm coordinates: across (towards the thumb), along (towards the fingers), out of the palm.
    private static final double[] FINGER_ACROSS = {0.11, 0.03, -0.05, -0.12};
    private static final double[] FINGER_ALONG = {0.42, 0.44, 0.42, 0.38};
    private static final double[] FINGER_SPLAY = {0.08, 0.0, -0.07, -0.15};
    private static final double[][] FINGER_SEGMENTS = {{0.22, 0.13, 0.10}, {0.25, 0.15, 0.11}, {0.23, 0.14, 0.10},
            {0.18, 0.10, 0.09}};
    private static final double[] FINGER_BEND = {1.4, 1.6, 1.1};
    private static final double[] THUMB_SEGMENTS = {0.16, 0.12, 0.10};

    /**
     * The 21 landmarks of one hand. {@code thumbSide} is +1 for the right-handed pose's dominant (right) hand, whose
     * thumb points to the signer's left when the palm faces the camera, -1 for the other; {@code mirror} -1 mirrors
     * the whole hand (a left-handed signer).
     */
    private static void hand(HandState state, int thumbSide, double mirror, double[] body, int first,
            double[] handLocalZ) {
        double[] local = new double[3 * HAND];
        // palm coordinates (across, along, out)
        double[] p = new double[3];
        int k = 0;
        local[k++] = 0;
        local[k++] = 0;
        local[k++] = 0;
        // thumb: from the CMC joint out at an angle that closes across the palm as it curls
        double thumbCurl = state.curl[0];
        double angle = 0.9 - 1.6 * thumbCurl;
        p[0] = 0.1;
        p[1] = 0.1;
        p[2] = 0;
        local[k++] = p[0];
        local[k++] = p[1];
        local[k++] = p[2];
        double bend = 0;
        for (int s = 0; s < 3; s++) {
            bend += thumbCurl * 0.5;
            p[0] += THUMB_SEGMENTS[s] * Math.sin(angle) * Math.cos(bend);
            p[1] += THUMB_SEGMENTS[s] * Math.cos(angle) * Math.cos(bend);
            p[2] += THUMB_SEGMENTS[s] * Math.sin(bend);
            local[k++] = p[0];
            local[k++] = p[1];
            local[k++] = p[2];
        }
        for (int f = 0; f < 4; f++) {
            p[0] = FINGER_ACROSS[f];
            p[1] = FINGER_ALONG[f];
            p[2] = 0;
            local[k++] = p[0];
            local[k++] = p[1];
            local[k++] = p[2];
            double phi = 0;
            for (int s = 0; s < 3; s++) {
                phi += state.curl[f + 1] * FINGER_BEND[s];
                double len = FINGER_SEGMENTS[f][s];
                p[0] += len * Math.sin(FINGER_SPLAY[f]) * Math.cos(phi);
                p[1] += len * Math.cos(FINGER_SPLAY[f]) * Math.cos(phi);
                p[2] += len * Math.sin(phi);
                local[k++] = p[0];
                local[k++] = p[1];
                local[k++] = p[2];
            }
        }
        double cosYaw = Math.cos(state.yaw);
        double sinYaw = Math.sin(state.yaw);
        double cosRoll = Math.cos(state.roll);
        double sinRoll = Math.sin(state.roll);
        for (int j = 0; j < HAND; j++) {
            double across = thumbSide * local[3 * j];
            double along = local[3 * j + 1];
            double outOfPalm = local[3 * j + 2];
            // turn the palm about the fingers' axis, then point the fingers (roll in the image plane)
            double x0 = across * cosYaw - thumbSide * outOfPalm * sinYaw;
            double w0 = outOfPalm * cosYaw + thumbSide * across * sinYaw;
            double x = x0 * cosRoll + along * sinRoll;
            double y = x0 * sinRoll - along * cosRoll;
            double z = -w0; // out of a palm that faces the camera is towards it: negative z
            set(body, first + j, mirror * (state.wrist[0] + x), state.wrist[1] + y, state.wrist[2] + z);
            handLocalZ[first - LEFT_HAND_FIRST + j] = z;
        }
    }

    private static void set(double[] body, int landmark, double x, double y, double z) {
        body[3 * landmark] = x;
        body[3 * landmark + 1] = y;
        body[3 * landmark + 2] = z;
    }

    /** 468 points on the front of an ellipsoid around the head; [3] is how far the point opens with the mouth. */
    private static double[][] mesh() {
        double[][] mesh = new double[FACE][4];
        int rows = 18;
        int columns = 26;
        for (int i = 0; i < rows; i++) {
            double lat = Math.toRadians(-75 + 150.0 * i / (rows - 1));
            for (int j = 0; j < columns; j++) {
                double lon = Math.toRadians(-80 + 160.0 * j / (columns - 1));
                double x = 0.42 * Math.sin(lon) * Math.cos(lat);
                double y = 0.58 * Math.sin(lat);
                double z = -0.35 * Math.cos(lon) * Math.cos(lat);
                double[] point = mesh[i * columns + j];
                point[0] = x;
                point[1] = -1.55 + y;
                point[2] = z;
                // the lower lip and chin (lower face, near the middle) open with the mouth, the chin the most
                point[3] = y > 0.3 && Math.abs(x) < 0.16 ? (y - 0.3) / 0.28 : 0;
            }
        }
        return mesh;
    }
}
