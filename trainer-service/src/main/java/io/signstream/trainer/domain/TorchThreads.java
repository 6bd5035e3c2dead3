package io.signstream.trainer.domain;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch keeps autograd's "grad mode" per thread, enabled by default on every new thread; DJL turns it off only
 * on the thread that loads the engine and its gradient collector restores the mode it found. On any other thread
 * the optimizer's in-place parameter update would then run with grad mode on and fail ("a leaf Variable that
 * requires grad is being used in an in-place operation"). Every thread that trains calls this first.
 */
final class TorchThreads {

    private TorchThreads() {
    }

    static void prepareCurrentThread() {
        if ("PyTorch".equals(Engine.getInstance().getEngineName())) {
            JniUtils.setGradMode(false);
        }
    }
}
