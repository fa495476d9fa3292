package dev.mountedsecrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import com.sun.security.auth.module.UnixSystem;
import dev.mountedsecrets.reload.SecretsReloader;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A service as systemd starts it, run by {@link SystemdCredentialsIT} in a forked JVM under
 * the service's own user: prints who it runs as, the folder every secrets bean uses, the
 * problems found and a digest (never the value) of the key it was given.
 */
public final class SystemdCredentialsMain {

	private SystemdCredentialsMain() {
	}

	public static void main(String[] args) throws Exception {
		SpringApplication application = new SpringApplication(SystemdCredentialsTests.SecretsBeans.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = application.run(args)) {
			MountedSecrets secrets = context.getBean(MountedSecrets.class);
			SecretsSnapshot now = secrets.readFolder();
			String key = context.getEnvironment().getRequiredProperty("secrets.file.crypto_key");
			System.out.println("uid=" + new UnixSystem().getUid());
			System.out.println("dir=" + secrets.properties().getDir());
			System.out.println("read-folder=" + now.dir());
			System.out.println("problems=" + (secrets.problems(now).size() + now.problems().size()));
			System.out.println("warnings=" + now.warnings().size());
			System.out.println("reloader-running=" + context.getBean(SecretsReloader.class).isRunning());
			System.out.println("crypto_key-sha256=" + HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8))));
		}
	}

}
