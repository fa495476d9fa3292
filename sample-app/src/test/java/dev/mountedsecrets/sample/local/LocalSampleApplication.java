package dev.mountedsecrets.sample.local;

import java.nio.file.Path;
import java.util.List;

import dev.mountedsecrets.sample.GenerateSecrets;
import dev.mountedsecrets.sample.SampleApplication;

import org.springframework.boot.SpringApplication;

/**
 * Runs the sample without Docker: generates the secrets folder on first run, starts real
 * PostgreSQL, Redis, SMTP and OAuth2 servers on loopback from those secrets, then the sample
 * itself. {@code ./mvnw -pl sample-app -am spring-boot:test-run}
 */
public final class LocalSampleApplication {

	private static final int APP_PORT = 8080;

	private LocalSampleApplication() {
	}

	public static void main(String[] args) throws Exception {
		Path secrets = Path.of(System.getProperty("sample.secrets", "secrets")).toAbsolutePath();
		List<String> created = GenerateSecrets.generateMissing(secrets);
		LocalServices services = LocalServices.start(secrets, APP_PORT);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				services.close();
			}
			catch (Exception ex) {
				// shutting down anyway
			}
		}, "local-services-shutdown"));
		String[] sampleArgs = concat(services.sampleArguments(APP_PORT), args);
		SpringApplication.run(SampleApplication.class, sampleArgs);
		System.out.println();
		System.out.println("mounted-secrets sample is running on real local servers.");
		System.out.println("  Secrets folder:  " + secrets
				+ (created.isEmpty() ? " (existing files kept)" : " (created: " + String.join(", ", created) + ")"));
		System.out.println("  Sign in:         http://localhost:" + APP_PORT + "/  as " + LocalServices.DEMO_USER
				+ " (operator) or " + LocalServices.OTHER_USER + ", password in "
				+ secrets.resolve(LocalServices.DEMO_PASSWORD_FILE));
		System.out.println("  Dashboard:       http://localhost:" + APP_PORT + "/dashboard  (as "
				+ LocalServices.DEMO_USER + ")");
		System.out.println("  API token:       http://localhost:" + APP_PORT + "/token  (after signing in)");
		System.out.println("  Wiring report:   GET http://localhost:" + APP_PORT
				+ "/actuator/wiring  with a token of role OPS (see README)");
		System.out.println("  Mail arrives at: the local SMTP server (GreenMail), user 'app'");
	}

	private static String[] concat(String[] first, String[] second) {
		String[] all = new String[first.length + second.length];
		System.arraycopy(first, 0, all, 0, first.length);
		System.arraycopy(second, 0, all, first.length, second.length);
		return all;
	}

}
