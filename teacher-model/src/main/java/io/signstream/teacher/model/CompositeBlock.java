package io.signstream.teacher.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;

/**
 * Base of the composite teacher blocks: children initialize lazily on their first forward (DJL's
 * AbstractBaseBlock.forward does that), so no block has to repeat its children's shape arithmetic.
 * {@link I3dTeacher#initialize} runs that first forward on a dummy batch.
 */
abstract class CompositeBlock extends AbstractBlock {

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // initialized on first forward
    }
}
