package dev.mountedsecrets.test;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext.HierarchyMode;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Loads the contexts of the classes below through Spring's own test context machinery and its
 * context cache, as a test run would.
 */
class ContextCachingTests {

	@Test
	void loadWhenClassesDeclareDifferentSecretsGivesEachItsOwnContextAndFolder() throws Exception {
		ApplicationContext first = contextOf(FirstSecrets.class);
		ApplicationContext second = contextOf(SecondSecrets.class);
		assertThat(second).isNotSameAs(first);
		assertThat(first.getEnvironment().getProperty("secrets.file.api_token")).isEqualTo("first");
		assertThat(second.getEnvironment().getProperty("secrets.file.api_token")).isEqualTo("second");
		assertThat(folderOf(first)).isNotEqualTo(folderOf(second));
	}

	@Test
	void loadWhenClassesDeclareTheSameSecretsSharesTheContextAndItsRandomValue() throws Exception {
		ApplicationContext first = contextOf(RandomSecrets.class);
		ApplicationContext again = contextOf(SameRandomSecrets.class);
		assertThat(again).isSameAs(first);
		String key = first.getEnvironment().getProperty("secrets.file.crypto_key");
		assertThat(key).hasSize(40);
		assertThat(Files.readString(folderOf(first).resolve("crypto_key"))).isEqualTo(key);
	}

	@Test
	void closeWhenTheContextIsDirtiedRemovesTheFolder() throws Exception {
		TestContext testContext = new TestContextManager(ClosedSecrets.class).getTestContext();
		Path folder = folderOf(testContext.getApplicationContext());
		assertThat(folder).isDirectory();
		testContext.markApplicationContextDirty(HierarchyMode.EXHAUSTIVE);
		assertThat(folder).doesNotExist();
	}

	@Test
	void loadWhenARequiredSecretIsNotDeclaredFailsAsStartUpWould() {
		assertThatIllegalStateException().isThrownBy(() -> contextOf(UndeclaredSecret.class))
			.havingRootCause()
			.withMessageContaining("crypto_key")
			.withMessageContaining("is required (secrets.required) but does not exist");
	}

	private static ApplicationContext contextOf(Class<?> testClass) throws Exception {
		return new TestContextManager(testClass).getTestContext().getApplicationContext();
	}

	private static Path folderOf(ApplicationContext context) {
		return context.getBean(TestSecretsFolder.class).path();
	}

	@SpringBootTest(classes = TestSupportApplication.class, properties = "secrets.required=api_token")
	@TestSecret(name = "api_token", value = "first")
	static class FirstSecrets {

	}

	@SpringBootTest(classes = TestSupportApplication.class, properties = "secrets.required=api_token")
	@TestSecret(name = "api_token", value = "second")
	static class SecondSecrets {

	}

	@SpringBootTest(classes = TestSupportApplication.class, properties = "secrets.required=crypto_key")
	@TestSecret(name = "crypto_key", random = 40)
	static class RandomSecrets {

	}

	@SpringBootTest(classes = TestSupportApplication.class, properties = "secrets.required=crypto_key")
	@TestSecret(name = "crypto_key", random = 40)
	static class SameRandomSecrets {

	}

	@SpringBootTest(classes = TestSupportApplication.class, properties = "secrets.required=api_token")
	@TestSecret(name = "api_token", value = "to-be-closed")
	static class ClosedSecrets {

	}

	@SpringBootTest(classes = TestSupportApplication.class,
			properties = { "secrets.required=crypto_key", "secrets.dir=/nonexistent/mounted-secrets-test" })
	@TestSecret(name = "api_token", value = "declared")
	static class UndeclaredSecret {

	}

}
