package org.bert4j.heads.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EntityLocatorTest {

    @Test
    void findsEveryOccurrenceIgnoringCase() {
        String text = "The U.S. said; the u.s. agreed";
        EntityLocator.Result result = EntityLocator.locate(text, List.of(new Annotation("U.S.", "COUNTRY")));
        assertEquals(List.of(new EntitySpan(4, 8, "COUNTRY"), new EntitySpan(19, 23, "COUNTRY")), result.spans());
        assertEquals(List.of(), result.problems());
    }

    @Test
    void matchesOnlyWholeWords() {
        String text = "Russian war; condemnation of Russia.";
        EntityLocator.Result result = EntityLocator.locate(text, List.of(new Annotation("Russia", "COUNTRY")));
        assertEquals(List.of(new EntitySpan(29, 35, "COUNTRY")), result.spans());
    }

    @Test
    void curlyAndStraightApostrophesMatchEachOther() {
        String text = "Hurricane Fiona’s Rampage";
        EntityLocator.Result result = EntityLocator.locate(text, List.of(new Annotation("Fiona's", "EVENT")));
        assertEquals(List.of(new EntitySpan(10, 17, "EVENT")), result.spans());
    }

    @Test
    void longerEntitiesWinOverlapsAndTheLoserIsReported() {
        String text = "the Turks and Caicos Islands and the Islands";
        EntityLocator.Result result = EntityLocator.locate(text, List.of(new Annotation("Islands", "PLACE"),
                new Annotation("Turks and Caicos Islands", "COUNTRY"), new Annotation("Caicos", "PLACE")));
        assertEquals(List.of(new EntitySpan(4, 28, "COUNTRY"), new EntitySpan(37, 44, "PLACE")), result.spans());
        assertEquals(1, result.problems().size());
        assertEquals("Caicos", result.problems().getFirst().annotation().text());
    }

    @Test
    void unlocatableEntitiesAreReportedNotDropped() {
        EntityLocator.Result result = EntityLocator.locate("orbit Earth 7,075 times",
                List.of(new Annotation("7075", "AMOUNT"), new Annotation("Earth", "LOCATION")));
        assertEquals(List.of(new EntitySpan(6, 11, "LOCATION")), result.spans());
        assertEquals(List.of(new EntityLocator.Problem(new Annotation("7075", "AMOUNT"), "not found in the text")),
                result.problems());
    }

    @Test
    void theSameEntityListedTwiceLandsOnce() {
        EntityLocator.Result result = EntityLocator.locate("in Bermuda",
                List.of(new Annotation("Bermuda", "COUNTRY"), new Annotation("bermuda", "COUNTRY")));
        assertEquals(List.of(new EntitySpan(3, 10, "COUNTRY")), result.spans());
        assertEquals(List.of(), result.problems());
    }

    @Test
    void blankEntityTextIsRefusedWhereTheAnnotationIsMade() {
        // Stripped to "", it used to reach the whole-word check as an empty span and fail with charAt(-1).
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Annotation("   ", "COUNTRY"));
        assertEquals("blank entity text for label 'COUNTRY'", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Annotation("x", " "));
        assertEquals("blank label for entity 'x'", e.getMessage());
    }
}
