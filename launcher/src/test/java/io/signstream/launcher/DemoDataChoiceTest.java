package io.signstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.signstream.localstack.synthetic.SignerHeldOutDataset;
import io.signstream.localstack.synthetic.SignerHeldOutOptions;
import io.signstream.localstack.synthetic.SyntheticDataset;

/** {@code ./signstream demo --data demo|signers}: which synthetic set the demo generates. */
class DemoDataChoiceTest {

    @Test
    void theDefaultIsTheDemosSetAndSignersTheHeldOutSignerSet() {
        assertEquals(Demo.Size.full(), Demo.size("demo", false));
        assertEquals(Demo.Size.tiny(), Demo.size("demo", true));
        assertInstanceOf(SyntheticDataset.class, Demo.size("demo", false).data().create());

        Demo.Size signers = Demo.size("signers", false);
        assertEquals(SignerHeldOutOptions.defaults(), signers.data());
        assertInstanceOf(SignerHeldOutDataset.class, signers.data().create());
        assertEquals(SignerHeldOutOptions.small(), Demo.size("signers", true).data());
        // --glosses and --train-samples resize either set
        assertEquals(12, signers.data().withVocabularySize(12).vocabularySize());
        assertEquals(300, signers.data().withSamples(300, 60, 60).trainSamples());

        assertThrows(IllegalArgumentException.class, () -> Demo.size("phoenix", false));
        assertTrue(Main.USAGE.contains("--data demo|signers"));
    }
}
