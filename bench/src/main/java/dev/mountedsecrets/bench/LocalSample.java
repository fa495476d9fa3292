package dev.mountedsecrets.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.mountedsecrets.RedisTestServer;
import dev.mountedsecrets.sample.GenerateSecrets;
import dev.mountedsecrets.sample.SampleApplication;
import dev.mountedsecrets.sample.local.LocalServices;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sample application on real local servers, for the whole-application figures.
 */
final class LocalSample implements AutoCloseable {

	final Path secrets;

	final LocalServices services;

	final int port;

	private LocalSample(Path secrets, LocalServices services, int port) {
		this.secrets = secrets;
		this.services = services;
		this.port = port;
	}

	static LocalSample start() throws Exception {
		Path secrets = Files.createTempDirectory("bench-sample-secrets-");
		GenerateSecrets.generateMissing(secrets);
		int port = RedisTestServer.freePort();
		return new LocalSample(secrets, LocalServices.start(secrets, port), port);
	}

	ConfigurableApplicationContext run(String... extra) {
		List<String> args = new ArrayList<>(Arrays.asList(this.services.sampleArguments(this.port)));
		args.add("--logging.level.root=WARN");
		args.addAll(Arrays.asList(extra));
		return SpringApplication.run(SampleApplication.class, args.toArray(String[]::new));
	}

	String read(String name) throws Exception {
		String value = Files.readString(this.secrets.resolve(name));
		return value.substring(0, value.length() - 1);
	}

	void write(String name, String value) throws Exception {
		Files.writeString(this.secrets.resolve(name), value + "\n");
	}

	/**
	 * Write new values in place, one file after the other.
	 * @return when the first write started
	 */
	long writeAll(Map<String, String> values) throws Exception {
		long start = System.nanoTime();
		for (Map.Entry<String, String> value : values.entrySet()) {
			write(value.getKey(), value.getValue());
		}
		return start;
	}

	@Override
	public void close() throws Exception {
		this.services.close();
	}

}
