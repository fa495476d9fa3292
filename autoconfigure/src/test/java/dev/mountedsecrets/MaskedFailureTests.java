package dev.mountedsecrets;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The masked copy of a failure: every message, {@code toString()}, cause and suppressed
 * failure masked; a chain deeper than is looked at is taken as showing a secret and copied
 * without what is deeper; a cycle ends.
 */
class MaskedFailureTests {

	private static final String SECRET = "Masked-Failure-Secret-6b2e";

	private final ServedSecrets served = new ServedSecrets();

	MaskedFailureTests() {
		this.served.record(List.of(SECRET));
	}

	@Test
	void ofWhenSecretInMessageToStringCauseAndSuppressedMasksEach() {
		IllegalStateException failure = new IllegalStateException("top " + SECRET, new IllegalArgumentException(SECRET)) {
			@Override
			public String toString() {
				return "custom " + SECRET;
			}
		};
		failure.addSuppressed(new RuntimeException("suppressed " + SECRET));
		assertThat(MaskedFailure.showsSecret(failure, this.served)).isTrue();
		MaskedFailure copy = MaskedFailure.of(failure, this.served);
		assertThat(copy.getMessage()).isEqualTo("top ******");
		assertThat(copy.toString()).isEqualTo("custom ******");
		assertThat(copy.getCause().toString()).isEqualTo("java.lang.IllegalArgumentException: ******");
		assertThat(copy.getSuppressed()).singleElement().hasToString("java.lang.RuntimeException: suppressed ******");
		assertThat(copy.getStackTrace()).isEqualTo(failure.getStackTrace());
	}

	@Test
	void showsSecretWhenChainDeeperThanLookedAtTakesItAsShowingAndTheCopyEndsThere() {
		Throwable failure = new IllegalStateException("innermost " + SECRET);
		for (int i = 0; i < MaskedFailure.MAX_DEPTH + 6; i++) {
			failure = new IllegalStateException("level " + i, failure);
		}
		assertThat(MaskedFailure.showsSecret(failure, this.served)).isTrue();
		StringBuilder shown = new StringBuilder();
		for (Throwable level = MaskedFailure.of(failure, this.served); level != null; level = level.getCause()) {
			shown.append(level).append('\n');
		}
		assertThat(shown).doesNotContain(SECRET).contains("level " + (MaskedFailure.MAX_DEPTH + 5)).doesNotContain("level 0\n");
	}

	@Test
	void showsSecretWhenCauseChainIsACycleEnds() {
		IllegalStateException first = new IllegalStateException("first");
		IllegalStateException second = new IllegalStateException("second", first);
		first.initCause(second);
		assertThat(MaskedFailure.showsSecret(first, this.served)).isFalse();
		assertThat(MaskedFailure.of(first, this.served).getCause().getCause().getMessage()).isEqualTo("first");
	}

}
