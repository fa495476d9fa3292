package dev.mountedsecrets.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks of the Swarm stack file that need no engine: every secret is external under a
 * versioned name, each service gets its files with the long syntax for its own user (0400),
 * the database and Redis never hold the application's secrets (a rotation would restart them),
 * nothing secret is in {@code environment:}, every service has a healthcheck, the app rolls
 * start-first, and CI's override only swaps images. The stack itself runs in
 * {@code .ci/swarm-check}.
 */
class SwarmStackFileTests {

	private static final Pattern SECRET_LIKE_NAME = Pattern.compile(".*(PASSWORD|SECRET|_KEY|TOKEN).*");

	/** The user each service's container runs as, which must own its secret files. */
	private static final Map<String, String> USERS = Map.of("postgres", "70", "redis", "999", "smtp", "0", "app",
			"10001");

	private final Map<String, Object> stack = load(Path.of("swarm-stack.yaml"));

	@Test
	void everySecretIsExternalUnderAVersionedName() {
		Map<String, Object> secrets = map(this.stack.get("secrets"));
		assertThat(secrets).containsKeys(GenerateSecrets.names().toArray(String[]::new));
		secrets.forEach((key, value) -> {
			Map<String, Object> secret = map(value);
			assertThat(secret).as(key).containsEntry("external", true);
			assertThat(String.valueOf(secret.get("name"))).as(key).matches(Pattern.quote(key) + "_\\$\\{[A-Z_]+_VERSION:-1}");
		});
	}

	@Test
	void appGetsEverySecretFileOwnedByItsUserReadableByItAlone() {
		List<Map<String, Object>> references = references("app");
		assertThat(references).extracting((reference) -> reference.get("source"))
			.containsExactlyInAnyOrderElementsOf(GenerateSecrets.names());
		references.forEach((reference) -> assertThat(reference).as(String.valueOf(reference.get("source")))
			.containsEntry("target", reference.get("source")));
	}

	@Test
	void everyReferenceUsesTheLongSyntaxForItsServicesUser() {
		services().forEach((name, service) -> references(name).forEach((reference) -> {
			assertThat(reference).as(name).containsKeys("source", "target")
				.containsEntry("uid", USERS.get(name))
				.containsEntry("mode", 0400);
		}));
	}

	@Test
	void databaseAndRedisNeverHoldTheApplicationsSecrets() {
		assertThat(references("postgres")).extracting((reference) -> reference.get("source"))
			.containsExactly("postgres_password");
		assertThat(references("redis")).extracting((reference) -> reference.get("source"))
			.containsExactly("redis_admin_password");
		assertThat(GenerateSecrets.names()).doesNotContain("redis_admin_password");
	}

	@Test
	void noEnvironmentEntryCarriesASecret() {
		List<String> offenders = new ArrayList<>();
		services().forEach((name, service) -> map(service.get("environment")).forEach((key, value) -> {
			boolean secretName = SECRET_LIKE_NAME.matcher(key).matches() && !key.endsWith("_FILE");
			boolean fileOutsideSecrets = key.endsWith("_FILE") && !String.valueOf(value).startsWith("/run/secrets/");
			if (secretName || fileOutsideSecrets) {
				offenders.add(name + "." + key);
			}
		}));
		assertThat(offenders).isEmpty();
	}

	@Test
	void everyServiceHasAHealthcheckAndTheAppRollsStartFirst() {
		services().forEach((name, service) -> assertThat(service).as(name).containsKey("healthcheck"));
		Map<String, Object> deploy = map(services().get("app").get("deploy"));
		assertThat(deploy).containsEntry("replicas", 2);
		assertThat(map(deploy.get("update_config"))).containsEntry("order", "start-first");
	}

	@Test
	void ciOverrideOnlySwapsImages() {
		Map<String, Object> override = load(Path.of("swarm-stack.ci.yaml"));
		assertThat(override).containsOnlyKeys("version", "services");
		map(override.get("services")).forEach((name, service) -> {
			assertThat(services()).containsKey(name);
			assertThat(map(service)).as(name).containsOnlyKeys("image");
		});
	}

	private List<Map<String, Object>> references(String service) {
		List<Map<String, Object>> references = new ArrayList<>();
		if (services().get(service).get("secrets") instanceof List<?> items) {
			items.forEach((item) -> references.add(map(item)));
		}
		return references;
	}

	private Map<String, Map<String, Object>> services() {
		Map<String, Map<String, Object>> services = new LinkedHashMap<>();
		map(this.stack.get("services")).forEach((name, service) -> services.put(name, map(service)));
		return services;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (value instanceof Map<?, ?>) ? (Map<String, Object>) value : Map.of();
	}

	private static Map<String, Object> load(Path path) {
		try {
			return new Yaml().load(Files.readString(path));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
