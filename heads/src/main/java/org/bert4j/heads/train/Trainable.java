package org.bert4j.heads.train;

import org.bert4j.training.Parameter;
import java.util.List;

/** Something with trainable tensors: a head now, the top encoder layers of a backbone later. */
public interface Trainable {

    /** The tensors, in a fixed order (the optimiser's state and the checkpoints follow it). */
    List<Parameter> parameters();
}
