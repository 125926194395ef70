package org.bert4j.heads;

import org.bert4j.heads.data.EntitySpan;
import org.bert4j.heads.data.Example;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A generated dataset with known answers: sentences from per-topic templates, each mentioning a person and a
 * city (or an organisation) drawn from fixed lists, so both the topic and the entity spans are known exactly.
 */
public final class TemplatedData {

    static final List<String> PEOPLE = List.of("Maria Lopez", "John Smith", "Aiko Tanaka", "Olu Adeyemi",
            "Pierre Dubois", "Anna Kowalski", "Ravi Patel", "Chen Wei", "Sofia Rossi", "Lars Jensen");
    static final List<String> CITIES = List.of("Paris", "Chicago", "Nairobi", "Osaka", "Lima", "Berlin", "Toronto",
            "Mumbai", "Madrid", "Sydney");
    static final List<String> ORGS = List.of("Acme Corp", "Globex", "Initech", "Umbrella Group", "Stark Industries",
            "Wayne Enterprises");

    private static final String[][] TEMPLATES = {
            { // SPORTS
                    "{P} scored twice as the team won the final in {C}.",
                    "Fans in {C} cheered when {P} broke the marathon record.",
                    "{P} signed a new contract with the football club from {C}.",
                    "The coach praised {P} after the tennis match in {C}."},
            { // BUSINESS
                    "{O} shares rose after {P} announced record profits in {C}.",
                    "{P} will lead {O} as chief executive from its office in {C}.",
                    "Investors in {C} sold stock as {O} missed its earnings forecast.",
                    "{O} opened a new factory in {C}, said {P}."},
            { // WEATHER
                    "Heavy rain flooded streets in {C} on Monday, {P} reported.",
                    "A heat wave will hit {C} this week, forecaster {P} warned.",
                    "Snow closed the airport in {C} as temperatures fell below zero.",
                    "{P} said the storm near {C} brought strong winds and hail."}};
    static final List<String> TOPICS = List.of("SPORTS", "BUSINESS", "WEATHER");

    private TemplatedData() {
    }

    /** Which names the sentences may use: all of them, the first ones only, or only those the first ones leave out. */
    public enum Names { ALL, SEEN, UNSEEN }

    /** {@code n} examples with a topic label and PER / LOC / ORG spans, drawn with {@code seed} from every name. */
    public static List<Example> generate(int n, long seed) {
        return generate(n, seed, Names.ALL);
    }

    /** {@code n} examples drawn with {@code seed} from the chosen names (SEEN: 7 people, 7 cities, 4 organisations). */
    public static List<Example> generate(int n, long seed, Names names) {
        List<String> people = pick(PEOPLE, 7, names);
        List<String> cities = pick(CITIES, 7, names);
        List<String> orgs = pick(ORGS, 4, names);
        Random random = new Random(seed);
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int topic = random.nextInt(TOPICS.size());
            String template = TEMPLATES[topic][random.nextInt(TEMPLATES[topic].length)];
            String person = people.get(random.nextInt(people.size()));
            String city = cities.get(random.nextInt(cities.size()));
            String org = orgs.get(random.nextInt(orgs.size()));
            StringBuilder text = new StringBuilder();
            List<EntitySpan> spans = new ArrayList<>();
            int at = 0;
            while (at < template.length()) {
                int open = template.indexOf('{', at);
                if (open < 0) {
                    text.append(template, at, template.length());
                    break;
                }
                text.append(template, at, open);
                char slot = template.charAt(open + 1);
                String value = slot == 'P' ? person : slot == 'C' ? city : org;
                String label = slot == 'P' ? "PER" : slot == 'C' ? "LOC" : "ORG";
                spans.add(new EntitySpan(text.length(), text.length() + value.length(), label));
                text.append(value);
                at = open + 3;
            }
            examples.add(new Example(text.toString(), TOPICS.get(topic), spans, i + 1));
        }
        return examples;
    }

    private static List<String> pick(List<String> all, int seen, Names names) {
        return switch (names) {
            case ALL -> all;
            case SEEN -> all.subList(0, seen);
            case UNSEEN -> all.subList(seen, all.size());
        };
    }
}
