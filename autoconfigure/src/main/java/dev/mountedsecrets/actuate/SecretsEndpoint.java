package dev.mountedsecrets.actuate;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.SecretFile;
import dev.mountedsecrets.SecretProblem;
import dev.mountedsecrets.SecretsSnapshot;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.util.ClassUtils;

/**
 * {@code /actuator/secrets}: each secret's name, file, the properties it feeds, when its file
 * last changed, its status (ok, missing, invalid and why) and the components it was wired
 * into. No value, no length, no hash.
 */
@Endpoint(id = "secrets")
public class SecretsEndpoint {

	/** Property prefix to the component it configures, and the bean type that shows it exists. */
	private static final Map<String, String[]> CONSUMERS = consumers();

	private final MountedSecrets secrets;

	private final ListableBeanFactory beans;

	public SecretsEndpoint(MountedSecrets secrets, ListableBeanFactory beans) {
		this.secrets = secrets;
		this.beans = beans;
	}

	@ReadOperation
	public SecretsReport secrets() {
		SecretsSnapshot inUse = this.secrets.inUse();
		SecretsSnapshot current = this.secrets.readFolder();
		Map<String, SecretProblem> problems = new LinkedHashMap<>();
		this.secrets.problems(current).forEach((problem) -> problems.putIfAbsent(problem.name(), problem));
		TreeSet<String> names = new TreeSet<>(inUse.secrets().keySet());
		names.addAll(current.secrets().keySet());
		names.addAll(problems.keySet());
		names.remove("");
		List<SecretDescriptor> descriptors = new ArrayList<>();
		for (String name : names) {
			SecretFile file = inUse.secrets().getOrDefault(name, current.secrets().get(name));
			SecretProblem problem = problems.get(name);
			String path = (file != null) ? file.path().toString() : (problem != null) ? problem.file() : null;
			List<String> properties = this.secrets.propertiesFedBy(name);
			descriptors.add(new SecretDescriptor(name, path, properties, lastModified(file),
					status(current.secrets().get(name), problem),
					(problem != null) ? problem.rule() : null, consumersOf(properties)));
		}
		return new SecretsReport(inUse.dir().toString(), inUse.found(), descriptors);
	}

	private static String status(@Nullable SecretFile onDisk, @Nullable SecretProblem problem) {
		if (problem == null) {
			return "ok";
		}
		boolean gone = problem.rule().contains("does not exist") || problem.rule().equals("was removed")
				|| problem.rule().startsWith("disappeared");
		return (onDisk == null && gone) ? "missing" : "invalid";
	}

	private static @Nullable Instant lastModified(@Nullable SecretFile file) {
		try {
			return (file != null) ? Files.getLastModifiedTime(file.path()).toInstant() : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	private List<String> consumersOf(List<String> properties) {
		TreeSet<String> consumers = new TreeSet<>();
		for (String property : properties) {
			CONSUMERS.forEach((prefix, consumer) -> {
				if (property.startsWith(prefix) && hasBean(consumer[1])) {
					consumers.add(consumer[0]);
				}
			});
		}
		return List.copyOf(consumers);
	}

	private boolean hasBean(String typeName) {
		ClassLoader classLoader = getClass().getClassLoader();
		if (!ClassUtils.isPresent(typeName, classLoader)) {
			return false;
		}
		return this.beans.getBeanNamesForType(ClassUtils.resolveClassName(typeName, classLoader), true, false).length > 0;
	}

	private static Map<String, String[]> consumers() {
		Map<String, String[]> consumers = new LinkedHashMap<>();
		consumers.put("spring.datasource.", new String[] { "DataSource", "javax.sql.DataSource" });
		consumers.put("spring.flyway.", new String[] { "Flyway", "org.flywaydb.core.Flyway" });
		consumers.put("spring.liquibase.", new String[] { "Liquibase", "liquibase.integration.spring.SpringLiquibase" });
		consumers.put("spring.sql.init.", new String[] { "SQL init scripts",
				"org.springframework.boot.sql.init.AbstractScriptDatabaseInitializer" });
		consumers.put("spring.data.redis.",
				new String[] { "Redis", "org.springframework.data.redis.connection.RedisConnectionFactory" });
		consumers.put("spring.mail.", new String[] { "JavaMailSender", "org.springframework.mail.javamail.JavaMailSender" });
		consumers.put("spring.security.oauth2.client.", new String[] { "OAuth2 client registrations",
				"org.springframework.security.oauth2.client.registration.ClientRegistrationRepository" });
		return consumers;
	}

	/**
	 * The report.
	 *
	 * @param dir the secrets folder
	 * @param dirFound whether it exists
	 * @param secrets one entry per secret
	 */
	public record SecretsReport(String dir, boolean dirFound, List<SecretDescriptor> secrets) {

	}

	/**
	 * One secret, without its value.
	 *
	 * @param name the secret's name
	 * @param file its file
	 * @param properties the properties it feeds
	 * @param lastModified when its file last changed
	 * @param status ok, missing or invalid
	 * @param reason why it is missing or invalid
	 * @param consumers the components configured from it
	 */
	public record SecretDescriptor(String name, @Nullable String file, List<String> properties,
			@Nullable Instant lastModified, String status, @Nullable String reason, List<String> consumers) {

	}

}
