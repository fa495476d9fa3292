package dev.mountedsecrets;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table of short texts found clean: found again by equality, never a text not added,
 * started again when full rather than pushing one text out at every look.
 */
class CleanTextsTests {

	@Test
	void containsWhenAddedFindsTheTextAndAnyEqualOne() {
		CleanTexts texts = new CleanTexts();
		assertThat(texts.contains("spring.datasource.url")).isFalse();
		texts.add("spring.datasource.url");
		assertThat(texts.contains("spring.datasource.url")).isTrue();
		assertThat(texts.contains(new String("spring.datasource.url"))).isTrue();
		assertThat(texts.contains("spring.datasource.urL")).isFalse();
		assertThat(texts.contains("")).isFalse();
	}

	@Test
	void containsWhenTextsShareAHashTellsThemApart() {
		CleanTexts texts = new CleanTexts();
		// "Aa" and "BB" have the same String hash, as do their concatenations
		texts.add("AaAa");
		texts.add("BBBB");
		assertThat(texts.contains("AaAa")).isTrue();
		assertThat(texts.contains("BBBB")).isTrue();
		assertThat(texts.contains("AaBB")).isFalse();
		assertThat(texts.contains("BBAa")).isFalse();
	}

	@Test
	void addWhenAllSlotsOfATextAreHeldStartsAgainAndKeepsTheText() {
		CleanTexts texts = new CleanTexts();
		List<String> sameHash = sameHash(CleanTexts.PROBES + 1);
		sameHash.subList(0, CleanTexts.PROBES).forEach(texts::add);
		assertThat(sameHash.subList(0, CleanTexts.PROBES)).allMatch(texts::contains);
		String last = sameHash.get(CleanTexts.PROBES);
		assertThat(texts.contains(last)).isFalse();
		texts.add(last);
		assertThat(texts.contains(last)).isTrue();
		assertThat(texts.contains(sameHash.get(0))).as("the full table was left").isFalse();
	}

	@Test
	void containsWhenManyMoreTextsAddedThanSlotsNeverAnswersForATextNotAdded() {
		CleanTexts texts = new CleanTexts();
		for (int i = 0; i < 4 * CleanTexts.SLOTS; i++) {
			texts.add("added." + i);
			assertThat(texts.contains("added." + i)).isTrue();
			assertThat(texts.contains("other." + i)).isFalse();
		}
	}

	@Test
	void containsWhenAsManyTextsAsAnActuatorResponseFindsEachEveryTime() {
		CleanTexts texts = new CleanTexts();
		List<String> response = new ArrayList<>();
		for (int i = 0; i < 4000; i++) {
			response.add("secrets.file.secret_" + i);
		}
		response.forEach(texts::add);
		assertThat(response).allMatch(texts::contains);
	}

	/** Texts with one String hash: every combination of "Aa" and "BB". */
	private static List<String> sameHash(int count) {
		List<String> texts = new ArrayList<>();
		for (int bits = 0; texts.size() < count; bits++) {
			StringBuilder text = new StringBuilder();
			for (int i = 0; i < 6; i++) {
				text.append(((bits >> i) & 1) == 0 ? "Aa" : "BB");
			}
			texts.add(text.toString());
		}
		return texts;
	}

}
