package dev.mountedsecrets;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * The pre-flight check ({@code secrets.preflight.enabled=true}): the application's own jar,
 * configuration and mappings, run only as far as the post-processor's checks of the secret
 * files, then the {@link PreflightCheck}s asked for (the database logins), then a report on
 * standard output and the end of the process with the code of its {@link PreflightStatus}.
 * No bean of the application is created, no server started.
 * <p>
 * It ends the JVM itself: Boot's failure path (an exception that is an
 * {@code ExitCodeGenerator}) has no way to end with 0, and writes through the logging system,
 * which the application may send elsewhere; the report is the output of a command.
 */
public final class SecretsPreflight {

	/** Name of the checks of the secret files in the report. */
	public static final String SECRETS_CHECK = "secrets";

	/** Where the report goes and how the process ends. */
	@FunctionalInterface
	public interface Output {

		/** Print the report on standard output and end the JVM with its exit code. */
		Output STANDARD = (report, format) -> {
			PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
			out.print(report.render(format));
			out.flush();
			System.exit(report.exitCode());
		};

		/**
		 * Hand over a finished report.
		 * @param report the report
		 * @param format the format asked for
		 */
		void finish(PreflightReport report, PreflightFormat format);

	}

	private SecretsPreflight() {
	}

	/**
	 * The report when the secret files break rules: the same problems start-up would fail with.
	 * @param properties the settings
	 * @param snapshot the folder as read
	 * @param problems the problems
	 * @param warnings the rules broken whose check is set to warn
	 * @return the report
	 */
	static PreflightReport invalid(SecretsProperties properties, SecretsSnapshot snapshot, List<SecretProblem> problems,
			List<SecretProblem> warnings) {
		List<PreflightFinding> findings = new ArrayList<>();
		problems.forEach((problem) -> findings.add(PreflightFinding.of(problem, PreflightStatus.INVALID_SECRETS)));
		warnings.forEach((warning) -> findings.add(PreflightFinding.warningOf(warning)));
		return new PreflightReport(properties.getDir().toString(), names(snapshot), List.of(SECRETS_CHECK), findings);
	}

	/**
	 * The report when the secret files pass: the checks asked for run on the environment.
	 * @param properties the settings
	 * @param snapshot the folder as read
	 * @param warnings the rules broken whose check is set to warn
	 * @param environment the environment with the secrets installed
	 * @return the report
	 */
	static PreflightReport passed(SecretsProperties properties, SecretsSnapshot snapshot, List<SecretProblem> warnings,
			ConfigurableEnvironment environment) {
		List<PreflightFinding> findings = new ArrayList<>();
		List<String> checks = new ArrayList<>(List.of(SECRETS_CHECK));
		findings.add(PreflightFinding.passed(SECRETS_CHECK, snapshot.dir().toString(),
				snapshot.found() ? snapshot.secrets().size() + " secret file(s) pass the start-up rules"
						: "No secrets folder at " + snapshot.dir() + "; no secret file is required"));
		warnings.forEach((warning) -> findings.add(PreflightFinding.warningOf(warning)));
		List<String> requested = new ArrayList<>();
		for (PreflightCheck check : SpringFactoriesLoader.forDefaultResourceLocation(SecretsPreflight.class.getClassLoader())
			.load(PreflightCheck.class)) {
			if (check.requested(properties.getPreflight())) {
				requested.add(check.name());
				checks.add(check.name());
				findings.addAll(run(check, environment));
			}
		}
		if (properties.getPreflight().isDatabase() && !requested.contains("database")) {
			findings.add(PreflightFinding.problem("database", "spring.datasource", PreflightStatus.NOT_CHECKED,
					"The database check was asked for (secrets.preflight.database=true) but the application has no"
							+ " JDBC support on its class path",
					"Run the check with the application's own jar, or set secrets.preflight.database=false."));
		}
		return new PreflightReport(properties.getDir().toString(), names(snapshot), checks, findings);
	}

	/**
	 * The findings of one check; a check that fails (a placeholder it cannot resolve, a driver
	 * that cannot be loaded) is a finding too, so that the report is still printed and the
	 * exit code still says what happened. The failure is named by its type: its message may
	 * quote a value.
	 */
	private static List<PreflightFinding> run(PreflightCheck check, ConfigurableEnvironment environment) {
		try {
			return check.run(environment);
		}
		catch (RuntimeException | ServiceConfigurationError | LinkageError ex) {
			return List.of(PreflightFinding.problem(check.name(), check.name(), PreflightStatus.NOT_CHECKED,
					"The " + check.name() + " check could not run (" + ex.getClass().getName() + ")",
					"Run the check with the application's configuration (its profile, the variables its"
							+ " placeholders need) and its own jar, or turn the check off."));
		}
	}

	/**
	 * The report when mounted-secrets is turned off: nothing was checked.
	 * @param properties the settings
	 * @return the report
	 */
	static PreflightReport disabled(SecretsProperties properties) {
		return new PreflightReport(properties.getDir().toString(), List.of(), List.of(),
				List.of(PreflightFinding.problem(SECRETS_CHECK, "secrets.enabled", PreflightStatus.NOT_CHECKED,
						"Mounted secrets are turned off (secrets.enabled=false): no secret file was checked",
						"Remove secrets.enabled=false, or do not run the pre-flight check for this application.")));
	}

	private static List<String> names(SecretsSnapshot snapshot) {
		return snapshot.secrets().keySet().stream().sorted().toList();
	}

}
