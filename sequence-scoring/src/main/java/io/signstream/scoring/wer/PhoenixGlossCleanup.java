package io.signstream.scoring.wer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The gloss cleanup of the PHOENIX-2014 evaluation ({@code evaluation/preprocess.sh} /
 * {@code evaluatePhoenix2014.sh} of the RWTH-PHOENIX-Weather 2014 release), applied before WER so results
 * compare with published PHOENIX-2014 numbers. Off by default everywhere: use it explicitly, e.g.
 * {@link CorpusScore#withPhoenixCleanup()}.
 *
 * <p>The official script runs these sed rules on CTM lines (one gloss per line); this class runs them on
 * the space-joined sentence, the way the widely used Python port ({@code clean_phoenix_2014} in SignJoey)
 * does, so the rules that look across glosses (letter merging, {@code WIE AUSSEHEN}, repeat collapsing) take
 * effect. Rules, in order (regular expressions over the sentence, {@code g} = every match):
 * <ol>
 *   <li>{@code loc-}, {@code cl-}, {@code qu-}, {@code poss-}, {@code lh-} are deleted wherever they occur
 *       (annotation prefixes for locative, classifier, question, possessive, left hand):
 *       {@code loc-REGION -> REGION};</li>
 *   <li>spelling fixes of the annotation: {@code S0NNE -> SONNE}, {@code HABEN2 -> HABEN};</li>
 *   <li>{@code __EMOTION__}, {@code __PU__}, {@code __LEFTHAND__} are deleted (non-manual / garbage
 *       markers);</li>
 *   <li>{@code WIE AUSSEHEN -> WIE-AUSSEHEN} (one sign annotated as two glosses);</li>
 *   <li>{@code ZEIGEN} followed by a space or at the end becomes {@code ZEIGEN-BILDSCHIRM} (as in the
 *       original, this also rewrites a gloss ending in {@code ZEIGEN});</li>
 *   <li>single fingerspelled letters are joined with {@code +}: {@code A B -> A+B} at the start, between
 *       spaces or {@code +}, repeated three times so {@code A B C D} becomes {@code A+B+C+D}; {@code SCH}
 *       and {@code NN} count as letters ({@code SCH U -> SCH+U}, {@code N NN -> N+NN});</li>
 *   <li>{@code XXRAUM -> XX} for a gloss part of two capitals followed by {@code RAUM}
 *       ({@code NORDRAUM -> NORD}, {@code WESTRAUM -> WEST});</li>
 *   <li>{@code -PLUSPLUS} is deleted ({@code REGEN-PLUSPLUS -> REGEN}: the sign's repetition marker);</li>
 *   <li>a purely upper-case gloss directly followed by itself is collapsed (4 passes, as in the
 *       original);</li>
 *   <li>glosses emptied by the rules disappear, and any remaining run of identical consecutive glosses is
 *       collapsed to one ({@code A A B A -> A B A}).</li>
 * </ol>
 * The official script also drops {@code __EPENTHESIS__} lines and fills empty hypotheses with
 * {@code [EMPTY]} only so that sclite gets a line per sentence; the library needs neither: an empty list
 * is an empty hypothesis.
 */
public final class PhoenixGlossCleanup {

    private record Rule(Pattern pattern, String replacement) {
        String apply(String text) {
            return pattern.matcher(text).replaceAll(replacement);
        }
    }

    // Python's \w is Unicode-aware: UNICODE_CHARACTER_CLASS keeps \w and \b alike; [A-Z] stays ASCII in both.
    private static Rule rule(String regex, String replacement) {
        return new Rule(Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS), replacement);
    }

    private static final String REPEAT = "(?<![\\w-])(\\b[A-Z]+(?![\\w-])) \\1(?![\\w-])";

    private static final List<Rule> RULES = List.of(
            rule("loc-", ""),
            rule("cl-", ""),
            rule("qu-", ""),
            rule("poss-", ""),
            rule("lh-", ""),
            rule("S0NNE", "SONNE"),
            rule("HABEN2", "HABEN"),
            rule("__EMOTION__", ""),
            rule("__PU__", ""),
            rule("__LEFTHAND__", ""),
            rule("WIE AUSSEHEN", "WIE-AUSSEHEN"),
            rule("ZEIGEN ", "ZEIGEN-BILDSCHIRM "),
            rule("ZEIGEN$", "ZEIGEN-BILDSCHIRM"),
            rule("^([A-Z]) ([A-Z][+ ])", "$1+$2"),
            rule("[ +]([A-Z]) ([A-Z]) ", " $1+$2 "),
            rule("([ +][A-Z]) ([A-Z][ +])", "$1+$2"),
            rule("([ +][A-Z]) ([A-Z][ +])", "$1+$2"),
            rule("([ +][A-Z]) ([A-Z][ +])", "$1+$2"),
            rule("([ +]SCH) ([A-Z][ +])", "$1+$2"),
            rule("([ +]NN) ([A-Z][ +])", "$1+$2"),
            rule("([ +][A-Z]) (NN[ +])", "$1+$2"),
            rule("([ +][A-Z]) ([A-Z])$", "$1+$2"),
            rule("([A-Z][A-Z])RAUM", "$1"),
            rule("-PLUSPLUS", ""),
            rule(" +", " "),
            rule(REPEAT, "$1"),
            rule(REPEAT, "$1"),
            rule(REPEAT, "$1"),
            rule(REPEAT, "$1"),
            rule(" +", " "));

    private PhoenixGlossCleanup() {
    }

    /** The cleaned gloss sequence (a new list; the input is not changed). */
    public static List<String> clean(List<String> glosses) {
        Objects.requireNonNull(glosses, "glosses");
        String sentence = String.join(" ", glosses).strip();
        for (Rule rule : RULES) {
            sentence = rule.apply(sentence);
        }
        List<String> cleaned = new ArrayList<>();
        for (String gloss : sentence.split("\\s+")) {
            if (!gloss.isEmpty() && (cleaned.isEmpty() || !cleaned.get(cleaned.size() - 1).equals(gloss))) {
                cleaned.add(gloss);
            }
        }
        return List.copyOf(cleaned);
    }
}
