package dev.mountedsecrets.compat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.mountedsecrets.compat.app.CompatApplication;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs {@link CompatApplication} on a random port with a secrets folder, and reads it over
 * HTTP. Auto-configuration names are given for both Boot generations: Boot ignores the name
 * of a class that is not on the class path.
 */
final class CompatApps {

	private static final String DATABASE = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
			+ "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration";

	private static final String REDIS = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
			+ "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration";

	/** For applications that need no database. */
	static final String EXCLUDE_DATABASE = "--spring.autoconfigure.exclude=" + DATABASE;

	/** For applications that need neither a database nor Redis. */
	static final String EXCLUDE_DATABASE_AND_REDIS = "--spring.autoconfigure.exclude=" + DATABASE + "," + REDIS;

	private CompatApps() {
	}

	static ConfigurableApplicationContext run(Path secrets, String... args) {
		List<String> all = new ArrayList<>(List.of("--server.port=0", "--secrets.dir=" + secrets));
		all.addAll(List.of(args));
		return new SpringApplication(CompatApplication.class).run(all.toArray(String[]::new));
	}

	static HttpResponse<String> get(ConfigurableApplicationContext context, String path)
			throws IOException, InterruptedException {
		String port = context.getEnvironment().getProperty("local.server.port");
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
	}

}
