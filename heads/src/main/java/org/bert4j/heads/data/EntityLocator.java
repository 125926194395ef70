package org.bert4j.heads.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns (entity text, LABEL) annotations into character spans by finding each entity in the sentence:
 * case-insensitively, at every occurrence, and only as whole words.
 *
 * <p>Matching rules, and why: case is ignored because the seed's annotators wrote "Million" for "million";
 * the apostrophes ’ ‘ and ' are treated as one character because the annotations were re-quoted by hand;
 * an occurrence must not continue a word on either side (an entity that starts or ends with a letter or
 * digit may not touch another letter or digit there), so "Russia" is not found inside "Russian".
 * Occurrences that overlap are resolved longest first, then leftmost ("Turks and Caicos Islands" wins over
 * "Islands"); an annotation with no occurrence left is reported, never dropped in silence.
 */
public final class EntityLocator {

    /** The spans found, sorted by start and non-overlapping, and the annotations that could not be placed. */
    public record Result(List<EntitySpan> spans, List<Problem> problems) {
        public Result {
            spans = List.copyOf(spans);
            problems = List.copyOf(problems);
        }
    }

    /** An annotation that has no span in the text, and why. */
    public record Problem(Annotation annotation, String reason) {
    }

    private EntityLocator() {
    }

    /** Locates every annotation in {@code text}. */
    public static Result locate(String text, List<Annotation> annotations) {
        List<Candidate> candidates = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (int a = 0; a < annotations.size(); a++) {
            Annotation annotation = annotations.get(a);
            String needle = annotation.text().strip(); // not empty: an Annotation's text is never blank
            boolean found = false;
            for (int i = 0; i + needle.length() <= text.length(); i++) {
                if (matchesAt(text, i, needle) && isWholeWord(text, i, i + needle.length())) {
                    candidates.add(new Candidate(new EntitySpan(i, i + needle.length(), annotation.label()), a));
                    found = true;
                }
            }
            if (!found) {
                problems.add(new Problem(annotation, "not found in the text"));
            }
        }
        candidates.sort(Comparator.comparingInt((Candidate c) -> -(c.span.end() - c.span.start()))
                .thenComparingInt(c -> c.span.start())
                .thenComparingInt(c -> c.annotation));
        List<EntitySpan> kept = new ArrayList<>();
        boolean[] placed = new boolean[annotations.size()];
        for (Candidate candidate : candidates) {
            boolean clash = false;
            for (EntitySpan span : kept) {
                if (span.overlaps(candidate.span)) {
                    clash = true;
                    // The same entity listed twice (or the same words under two labels) lands on one span.
                    if (span.start() == candidate.span.start() && span.end() == candidate.span.end()
                            && span.label().equals(candidate.span.label())) {
                        placed[candidate.annotation] = true;
                    }
                    break;
                }
            }
            if (!clash) {
                kept.add(candidate.span);
                placed[candidate.annotation] = true;
            }
        }
        for (Candidate candidate : candidates) {
            Annotation annotation = annotations.get(candidate.annotation);
            if (!placed[candidate.annotation] && problems.stream().noneMatch(p -> p.annotation() == annotation)) {
                problems.add(new Problem(annotation, "every occurrence overlaps a longer entity"));
            }
        }
        kept.sort(Comparator.comparingInt(EntitySpan::start));
        return new Result(kept, problems);
    }

    private record Candidate(EntitySpan span, int annotation) {
    }

    private static boolean matchesAt(String text, int at, String needle) {
        for (int j = 0; j < needle.length(); j++) {
            if (!sameChar(text.charAt(at + j), needle.charAt(j))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameChar(char a, char b) {
        if (a == b) {
            return true;
        }
        if (isApostrophe(a) && isApostrophe(b)) {
            return true;
        }
        char ua = Character.toUpperCase(a);
        char ub = Character.toUpperCase(b);
        return ua == ub || Character.toLowerCase(ua) == Character.toLowerCase(ub);
    }

    private static boolean isApostrophe(char c) {
        return c == '\'' || c == '’' || c == '‘';
    }

    private static boolean isWholeWord(String text, int start, int end) {
        boolean startsWord = Character.isLetterOrDigit(text.charAt(start));
        boolean endsWord = Character.isLetterOrDigit(text.charAt(end - 1));
        if (startsWord && start > 0 && Character.isLetterOrDigit(text.charAt(start - 1))) {
            return false;
        }
        return !(endsWord && end < text.length() && Character.isLetterOrDigit(text.charAt(end)));
    }
}
