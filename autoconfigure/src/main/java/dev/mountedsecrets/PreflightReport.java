package dev.mountedsecrets;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.json.JsonWriter;

/**
 * What the pre-flight check found: the outcome, the folder, the secrets read (names only),
 * the checks run and each finding. Never holds a value.
 *
 * @param dir the secrets folder that was checked
 * @param secrets the names of the secrets read
 * @param checks the checks that ran, such as {@code secrets} and {@code database}
 * @param findings problems, warnings and passes, in the order found
 */
public record PreflightReport(String dir, List<String> secrets, List<String> checks, List<PreflightFinding> findings) {

	public PreflightReport {
		secrets = List.copyOf(secrets);
		checks = List.copyOf(checks);
		findings = List.copyOf(findings);
	}

	/**
	 * The outcome: the first failure in the order of {@link PreflightStatus}, or
	 * {@link PreflightStatus#PASSED}.
	 * @return the outcome
	 */
	public PreflightStatus status() {
		return this.findings.stream()
			.map(PreflightFinding::status)
			.filter((status) -> status != PreflightStatus.PASSED)
			.min(Comparator.naturalOrder())
			.orElse(PreflightStatus.PASSED);
	}

	/**
	 * The exit code of the process.
	 * @return the code of {@link #status()}
	 */
	public int exitCode() {
		return status().exitCode();
	}

	/**
	 * This report with every served secret in its texts masked: a finding may quote what the
	 * application is configured with (a JDBC URL, a user name), which may hold a secret.
	 * @param served the secrets
	 * @return the masked report
	 */
	public PreflightReport masked(ServedSecrets served) {
		return new PreflightReport(served.mask(this.dir), this.secrets, this.checks,
				this.findings.stream().map((finding) -> finding.masked(served)).toList());
	}

	/**
	 * The report in a format.
	 * @param format the format
	 * @return the text, ending with a new line
	 */
	public String render(PreflightFormat format) {
		return (format == PreflightFormat.JSON) ? json() + "\n" : text();
	}

	private String text() {
		StringBuilder text = new StringBuilder("mounted-secrets pre-flight check: ").append(status())
			.append(" (exit code ")
			.append(exitCode())
			.append(")\n");
		text.append("Secrets folder: ").append(this.dir).append('\n');
		text.append("Secrets read: ").append(this.secrets.isEmpty() ? "none" : String.join(", ", this.secrets)).append('\n');
		text.append("Checks: ").append(String.join(", ", this.checks)).append('\n');
		section(text, "Problems", this.findings.stream().filter(PreflightFinding::failed).toList());
		section(text, "Warnings", this.findings.stream().filter(PreflightFinding::warning).toList());
		section(text, "Passed", this.findings.stream().filter((finding) -> !finding.failed() && !finding.warning()).toList());
		return text.toString();
	}

	private static void section(StringBuilder text, String title, List<PreflightFinding> findings) {
		if (findings.isEmpty()) {
			return;
		}
		text.append('\n').append(title).append(":\n");
		for (PreflightFinding finding : findings) {
			text.append("  - [").append(finding.check()).append("] ").append(indent(finding.description())).append('\n');
			if (!finding.action().isEmpty()) {
				text.append("    Action: ").append(indent(finding.action())).append('\n');
			}
		}
	}

	private static String indent(String text) {
		return text.replace("\n", "\n    ");
	}

	private String json() {
		Map<String, Object> report = new LinkedHashMap<>();
		report.put("status", status().name());
		report.put("exitCode", exitCode());
		report.put("secretsDir", this.dir);
		report.put("secrets", this.secrets);
		report.put("checks", this.checks);
		report.put("findings", this.findings.stream().map(PreflightReport::json).toList());
		return JsonWriter.standard().writeToString(report);
	}

	private static Map<String, Object> json(PreflightFinding finding) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("check", finding.check());
		json.put("subject", finding.subject());
		json.put("status", finding.status().name());
		json.put("kind", finding.failed() ? "problem" : finding.warning() ? "warning" : "passed");
		json.put("description", finding.description());
		json.put("action", finding.action());
		return json;
	}

}
