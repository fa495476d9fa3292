package dev.mountedsecrets.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.mountedsecrets.ReadOptions;
import dev.mountedsecrets.SecretMappings;
import dev.mountedsecrets.SecretsFolder;
import dev.mountedsecrets.SecretsPropertySource;
import dev.mountedsecrets.autoconfigure.SecretsPostProcessor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Figure 4: the cost of one {@code Environment.getProperty} for a secret served from a file
 * against an ordinary property from the application's configuration, in an environment laid
 * out as Spring Boot lays it out (secrets above the OS environment, configuration below).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LookupBenchmark {

	private StandardEnvironment environment;

	private StandardEnvironment mutableSourceEnvironment;

	@Setup
	public void createEnvironment() throws IOException {
		this.environment = createEnvironment(true);
		this.mutableSourceEnvironment = createEnvironment(false);
	}

	/**
	 * An environment with the secrets installed by the Boot 4 adapter (immutable sources, as
	 * an application gets them), or the core's source as it is (what Boot 4 saw before the
	 * adapter marked the sources immutable: a mutable source, its names re-read at each lookup).
	 */
	private static StandardEnvironment createEnvironment(boolean throughBoot4Adapter) throws IOException {
		Path dir = Files.createTempDirectory("bench-lookup-");
		for (String name : new String[] { "db_password_server", "postgres_password", "redis_password",
				"email_password", "crypto_key", "token_secret_key", "nextauth_secret", "google_oauth_client_id",
				"google_oauth_client_secret" }) {
			Files.writeString(dir.resolve(name), "Bench-Value-For-" + name + "-0123456789abcdef\n");
		}
		StandardEnvironment environment = new StandardEnvironment();
		if (throughBoot4Adapter) {
			environment.getPropertySources()
				.addFirst(new MapPropertySource("bench", Map.of("secrets.dir", dir.toString())));
			new SecretsPostProcessor(new DeferredLogs()).postProcessEnvironment(environment, new SpringApplication());
			environment.getPropertySources().remove("bench");
		}
		else {
			environment.getPropertySources()
				.addBefore(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SecretsPropertySource(
						new SecretsFolder(dir, ReadOptions.defaults()).read(), SecretMappings.withOverrides(Map.of())));
		}
		Map<String, Object> configuration = new LinkedHashMap<>();
		for (int i = 0; i < 50; i++) {
			configuration.put("app.setting-" + i, "value-" + i);
		}
		configuration.put("spring.data.redis.host", "redis");
		environment.getPropertySources()
			.addLast(new MapPropertySource("Config resource 'class path resource [application.yml]'", configuration));
		ConfigurationPropertySources.attach(environment);
		return environment;
	}

	@Benchmark
	public String secretProperty() {
		return this.environment.getProperty("spring.data.redis.password");
	}

	@Benchmark
	public String secretPropertyMutableSource() {
		return this.mutableSourceEnvironment.getProperty("spring.data.redis.password");
	}

	@Benchmark
	public String ordinaryProperty() {
		return this.environment.getProperty("spring.data.redis.host");
	}

}
