package dev.mountedsecrets.compat.petclinic;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import dev.mountedsecrets.MariaDbTestServer;
import dev.mountedsecrets.SecretFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.samples.petclinic.PetClinicApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Spring PetClinic, an application nobody here wrote (vendored unchanged, see this module's
 * README.md), on its own {@code mysql} profile with the starter, against a real MariaDB 11.4
 * through MariaDB's driver ({@code jdbc:mariadb:}; MySQL's Connector/J, which PetClinic ships,
 * fails Hibernate's metadata on MariaDB: it asks {@code INFORMATION_SCHEMA.KEYWORDS} for a
 * column MariaDB does not have). Every password is in a secret file: the admin's ({@code migrator}, DDL rights
 * on the schema) in {@code postgres_password} for {@code spring.sql.init}, which runs
 * PetClinic's {@code db/mysql/schema.sql} and {@code data.sql}; the application's in
 * {@code db_password_server}. Only the URL and the user names are given, as arguments.
 */
@ExtendWith(OutputCaptureExtension.class)
class PetClinicCompatIT {

	private static final String ROOT_PASSWORD = "PetClinic-Root-6d02f9b1";

	private static final String MIGRATOR_PASSWORD = "PetClinic-Migrator-a83e5c17";

	private static final String APP_USER_PASSWORD = "PetClinic-AppUser-0b4d7e92";

	private static final String PETCLINIC_PASSWORD = "PetClinic-Privileged-5f19c3a8";

	private static final String WRONG_PASSWORD = "PetClinic-Wrong-e27a4b60";

	private static final List<String> PASSWORDS = List.of(ROOT_PASSWORD, MIGRATOR_PASSWORD, APP_USER_PASSWORD,
			PETCLINIC_PASSWORD, WRONG_PASSWORD);

	private static MariaDbTestServer server;

	@TempDir
	Path secrets;

	@BeforeAll
	static void startServer() throws Exception {
		server = MariaDbTestServer.start(ROOT_PASSWORD);
		server.createUser("migrator", MIGRATOR_PASSWORD);
		server.createUser("app_user", APP_USER_PASSWORD);
		server.createUser("petclinic", PETCLINIC_PASSWORD);
		// One schema per test, so that each starts from none of PetClinic's tables
		server.executeAsAdmin("CREATE DATABASE petclinic", "CREATE DATABASE petclinic_refused",
				"CREATE DATABASE petclinic_wrong",
				// the admin that runs the scripts, as docs/database.md sets one up
				"GRANT ALL PRIVILEGES ON petclinic.* TO 'migrator'@'%'",
				"GRANT ALL PRIVILEGES ON petclinic_refused.* TO 'migrator'@'%'",
				"GRANT ALL PRIVILEGES ON petclinic_wrong.* TO 'migrator'@'%'",
				"GRANT SELECT, INSERT, UPDATE, DELETE ON petclinic.* TO 'app_user'@'%'",
				"GRANT SELECT, INSERT, UPDATE, DELETE ON petclinic_wrong.* TO 'app_user'@'%'",
				// PetClinic's own set-up of its user (db/mysql/user.sql), another password
				"GRANT ALL PRIVILEGES ON petclinic_refused.* TO 'petclinic'@'%'");
	}

	@AfterAll
	static void stopServer() throws IOException {
		if (server != null) {
			server.close();
		}
	}

	@Test
	void startWhenAppUserUnprivilegedServesPetClinicWithSchemaByAdmin(CapturedOutput output) throws Exception {
		writeSecrets(APP_USER_PASSWORD);
		try (ConfigurableApplicationContext context = run("petclinic", "--spring.datasource.username=app_user")) {
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			assertThat(jdbc.queryForObject("SELECT CURRENT_USER()", String.class)).isEqualTo("app_user@%");
			// The tables exist, created by the admin: the application's login may not create one
			assertThat(tables("petclinic")).contains("owners", "pets", "vets", "visits");
			assertThatException().isThrownBy(() -> jdbc.execute("CREATE TABLE intruder (id INT)"))
				.havingRootCause()
				.withMessageContaining("CREATE command denied to user 'app_user'");

			HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
			String base = "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
			HttpResponse<String> owners = get(http, base + "/owners?lastName=");
			assertThat(owners.statusCode()).isEqualTo(200);
			assertThat(owners.body()).contains("George Franklin");
			HttpResponse<String> vets = get(http, base + "/vets.html");
			assertThat(vets.statusCode()).isEqualTo(200);
			assertThat(vets.body()).contains("Helen Leary");

			Map<String, String> form = new LinkedHashMap<>();
			form.put("firstName", "Ada");
			form.put("lastName", "Secretfile");
			form.put("address", "29 Mounted Way");
			form.put("city", "Lovelace");
			form.put("telephone", "0123456789");
			HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/owners/new"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(formBody(form)))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(created.statusCode()).isEqualTo(200);
			String ownerPage = ownerPage(created);
			assertThat(created.body()).contains("New Owner Created").contains("29 Mounted Way");
			// Found again by last name: the one match redirects to its page
			HttpResponse<String> found = get(http, base + "/owners?lastName=Secretfile");
			assertThat(ownerPage(found)).isEqualTo(ownerPage);
			assertThat(found.body()).contains("Ada Secretfile").contains("Lovelace");
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM owners WHERE last_name = 'Secretfile'",
					Integer.class)).isEqualTo(1);
		}
		assertNoPassword(output);
		assertThat(output.getAll()).doesNotContain("least-privilege does not apply");
	}

	@Test
	void startWhenLoginHoldsAllPrivilegesOnSchemaIsRefusedBeforeAnyTable(CapturedOutput output) throws Exception {
		writeSecrets(PETCLINIC_PASSWORD);
		// PetClinic's own user name (its profile's default), with the grant its user.sql gives
		assertThatException().isThrownBy(() -> run("petclinic_refused"));
		assertThat(output.getAll())
			.contains("spring.datasource.username set by Config resource "
					+ "'class path resource [application-mysql.properties]'")
			.contains("APPLICATION FAILED TO START")
			.contains("The application's DataSource logs in as MariaDB user 'petclinic'@'%', "
					+ "which holds ALL PRIVILEGES on `petclinic_refused`.*")
			.contains("REVOKE ALL PRIVILEGES ON `petclinic_refused`.* FROM 'petclinic'@'%';")
			.contains("spring.datasource.username");
		assertThat(tables("petclinic_refused")).isEmpty();
		assertNoPassword(output);
	}

	@Test
	void startWhenPasswordWrongIsExplainedNamingUserAndFile(CapturedOutput output) throws Exception {
		writeSecrets(WRONG_PASSWORD);
		assertThatException().isThrownBy(() -> run("petclinic_wrong", "--spring.datasource.username=app_user"));
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("The database refused the login of 'app_user'")
			.contains("db_password_server")
			.contains("ALTER USER 'app_user'@'%' IDENTIFIED BY ...");
		assertThat(tables("petclinic_wrong")).isEmpty();
		assertNoPassword(output);
	}

	/** The admin's secret right, the application's as given. */
	private void writeSecrets(String applicationPassword) {
		SecretFiles.write(this.secrets, "postgres_password", MIGRATOR_PASSWORD);
		SecretFiles.write(this.secrets, "db_password_server", applicationPassword);
	}

	/**
	 * PetClinic as its MySQL instructions run it ({@code spring.profiles.active=mysql}), with
	 * the starter's secrets folder, the test server's URL ({@code jdbc:mariadb:}), and the
	 * admin user of the scripts.
	 */
	private ConfigurableApplicationContext run(String database, String... args) {
		List<String> all = new ArrayList<>(List.of("--spring.profiles.active=mysql", "--server.port=0",
				"--secrets.dir=" + this.secrets,
				"--spring.datasource.url=" + server.jdbcUrl(database),
				"--spring.sql.init.username=migrator", "--spring.jmx.enabled=false"));
		all.addAll(List.of(args));
		return new SpringApplication(PetClinicApplication.class).run(all.toArray(String[]::new));
	}

	private static List<String> tables(String database) throws Exception {
		List<String> tables = new ArrayList<>();
		try (Connection connection = server.login(MariaDbTestServer.ADMIN, ROOT_PASSWORD);
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(
						"SELECT table_name FROM information_schema.tables WHERE table_schema = '" + database + "'")) {
			while (result.next()) {
				tables.add(result.getString(1));
			}
		}
		return tables;
	}

	private static HttpResponse<String> get(HttpClient http, String uri) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
	}

	/** The owner's page a redirect led to, without the session id Tomcat may add to the path. */
	private static String ownerPage(HttpResponse<String> response) {
		Matcher page = Pattern.compile("(/owners/\\d+)(;jsessionid=\\w+)?").matcher(response.uri().getPath());
		assertThat(page.matches()).as("owner page: %s", response.uri()).isTrue();
		return page.group(1);
	}

	private static String formBody(Map<String, String> form) {
		return form.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	private static void assertNoPassword(CapturedOutput output) {
		for (String password : PASSWORDS) {
			assertThat(output.getAll()).doesNotContain(password);
		}
	}

}
