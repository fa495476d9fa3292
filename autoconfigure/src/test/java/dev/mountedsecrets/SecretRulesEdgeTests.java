package dev.mountedsecrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules at their edges, asked of {@link SecretRules} directly: {@code secrets.required}
 * entries that are blank, padded, paths or folders, a required file that is also unreadable,
 * the minimum length on the boundary (in code points), and which files the rules guard.
 */
class SecretRulesEdgeTests {

	private static final SecretMappings MAPPINGS = SecretMappings.withOverrides(Map.of());

	@TempDir
	Path dir;

	@Test
	void checkWhenRequiredEntriesBlankIgnoresThem() {
		SecretRules rules = new SecretRules(List.of("", "  "), Map.of(), MAPPINGS, true);
		assertThat(rules.check(snapshot(Map.of(), List.of()))).isEmpty();
	}

	@Test
	void checkWhenRequiredEntryPaddedLooksForTheTrimmedName() {
		SecretRules rules = new SecretRules(List.of(" redis_password "), Map.of(), MAPPINGS, true);
		assertThat(rules.check(snapshot(Map.of(), List.of()))).singleElement().satisfies((problem) -> {
			assertThat(problem.name()).isEqualTo("redis_password");
			assertThat(problem.file()).isEqualTo(this.dir.resolve("redis_password").toString());
			assertThat(problem.rule()).isEqualTo("is required (secrets.required) but does not exist");
			assertThat(problem.properties()).contains("spring.data.redis.password");
		});
		assertThat(rules.check(snapshot(Map.of("redis_password", secret("redis_password", "Redis-Pw-1")), List.of())))
			.isEmpty();
	}

	@Test
	void checkWhenRequiredFileAlsoUnreadableReportsItOnce() {
		SecretRules rules = new SecretRules(List.of("redis_password"), Map.of(), MAPPINGS, true);
		SecretProblem unreadable = new SecretProblem(this.dir.resolve("redis_password").toString(), "redis_password",
				List.of(), "is not valid UTF-8", "Write the value as UTF-8.");
		assertThat(rules.check(snapshot(Map.of(), List.of(unreadable)))).singleElement().satisfies((problem) -> {
			assertThat(problem.rule()).isEqualTo("is not valid UTF-8");
			assertThat(problem.properties()).containsExactly("spring.data.redis.password");
		});
	}

	@Test
	void checkWhenRequiredNameIsAPathSaysSo() {
		SecretRules rules = new SecretRules(List.of("../etc/passwd", "a\\b", ".."), Map.of(), MAPPINGS, true);
		assertThat(rules.check(snapshot(Map.of(), List.of()))).hasSize(3)
			.allSatisfy((problem) -> assertThat(problem.rule())
				.isEqualTo("is listed in secrets.required but is not a file name inside secrets.dir"));
	}

	@Test
	void checkWhenRequiredNameIsAFolderSaysSo() throws IOException {
		Files.createDirectory(this.dir.resolve("redis_password"));
		SecretRules rules = new SecretRules(List.of("redis_password"), Map.of(), MAPPINGS, true);
		assertThat(rules.check(snapshot(Map.of(), List.of()))).singleElement()
			.satisfies((problem) -> assertThat(problem.rule())
				.isEqualTo("is required (secrets.required) but is a folder, not a file"));
	}

	@Test
	void checkWhenLengthIsExactlyTheMinimumAcceptsIt() {
		SecretRules rules = new SecretRules(List.of(), Map.of("api_key", 4), MAPPINGS, true);
		assertThat(rules.check(secret("api_key", "k\u00e9\uD83D\uDD11y"))).isEmpty();
		assertThat(rules.check(secret("api_key", "k\uD83D\uDD11y"))).singleElement()
			.satisfies((problem) -> assertThat(problem.rule())
				.isEqualTo("is shorter than the 4 characters required (secrets.min-length.api_key)"));
	}

	@Test
	void checkWhenMinimumLengthSetReplacesTheDefault() {
		SecretRules rules = new SecretRules(List.of(), Map.of("crypto_key", 8), MAPPINGS, true);
		assertThat(rules.check(secret("crypto_key", "Eight-ch"))).isEmpty();
		assertThat(new SecretRules(List.of(), Map.of(), MAPPINGS, true).check(secret("crypto_key", "Eight-ch")))
			.hasSize(1);
	}

	@Test
	void checkWhenUnguardedFileIsBlankOrPlaceholderAcceptsIt() {
		SecretRules rules = new SecretRules(List.of(), Map.of(), MAPPINGS, true);
		assertThat(rules.check(secret("notes", ""))).isEmpty();
		assertThat(rules.check(secret("notes", "changeme"))).isEmpty();
	}

	@Test
	void checkWhenGuardedOnlyBecauseRequiredRefusesBlankAndPlaceholder() {
		SecretRules rules = new SecretRules(List.of("notes"), Map.of(), MAPPINGS, true);
		assertThat(rules.check(secret("notes", " "))).singleElement()
			.satisfies((problem) -> assertThat(problem.rule()).isEqualTo("holds only whitespace"));
		assertThat(rules.check(secret("notes", "changeme"))).singleElement()
			.satisfies((problem) -> assertThat(problem.rule())
				.isEqualTo("holds a placeholder from a setup guide, not a real secret"));
	}

	@Test
	void checkWhenGuardedOnlyByMinimumLengthRefusesEmpty() {
		SecretRules rules = new SecretRules(List.of(), Map.of("notes", 1), MAPPINGS, true);
		assertThat(rules.check(secret("notes", ""))).singleElement()
			.satisfies((problem) -> assertThat(problem.rule()).isEqualTo("is empty"));
	}

	@Test
	void checkWhenPlaceholdersAllowedAcceptsThem() {
		SecretRules rules = new SecretRules(List.of(), Map.of(), MAPPINGS, false);
		assertThat(rules.check(secret("redis_password", "changeme"))).isEmpty();
	}

	@Test
	void checkFileVariableWhenPropertyFedByFileWithMinimumLengthHoldsItToThatLength() {
		SecretMappings mappings = SecretMappings.withOverrides(Map.of("crypto_key", List.of("app.crypto.key")));
		SecretRules rules = new SecretRules(List.of(), Map.of(), mappings, true);
		SecretFile secret = new SecretFile("APP_CRYPTO_KEY", this.dir.resolve("key"), "short");
		assertThat(rules.checkFileVariable(secret, "APP_CRYPTO_KEY_FILE=" + secret.path(), "app.crypto.key"))
			.singleElement()
			.satisfies((problem) -> {
				assertThat(problem.rule()).startsWith("is shorter than the 32 characters required")
					.endsWith("(secrets.min-length.crypto_key)");
				assertThat(problem.properties()).containsExactly("app.crypto.key");
			});
		assertThat(rules.checkFileVariable(secret, "OTHER_FILE", "app.other")).isEmpty();
		assertThat(rules.checkFileVariable(new SecretFile("OTHER", this.dir.resolve("o"), ""), "OTHER_FILE",
				"app.other"))
			.singleElement()
			.satisfies((problem) -> assertThat(problem.rule()).isEqualTo("is empty"));
	}

	private SecretsSnapshot snapshot(Map<String, SecretFile> secrets, List<SecretProblem> problems) {
		return new SecretsSnapshot(this.dir, true, new TreeMap<>(secrets), problems, List.of());
	}

	private SecretFile secret(String name, String value) {
		return new SecretFile(name, this.dir.resolve(name), value);
	}

}
