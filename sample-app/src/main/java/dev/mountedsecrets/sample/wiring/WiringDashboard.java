package dev.mountedsecrets.sample.wiring;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mountedsecrets.actuate.SecretsEndpoint;
import dev.mountedsecrets.actuate.SecretsEndpoint.SecretDescriptor;
import dev.mountedsecrets.actuate.SecretsHealthIndicator;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * What the wiring dashboard shows, for people: one row per secret file (present, valid, the
 * properties it feeds, the live check of its consumer, last change of the file, last
 * rotation) and the {@code secrets} health. Built from the wiring report, the starter's
 * {@code secrets} endpoint and health, and its rotation events. Never a value.
 */
@Component
public class WiringDashboard {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
		.withZone(ZoneOffset.UTC);

	private final WiringEndpoint wiring;

	private final ObjectProvider<SecretsEndpoint> secrets;

	private final ObjectProvider<SecretsHealthIndicator> health;

	private final RotationLog rotations;

	/**
	 * Create the dashboard. The starter's endpoint and health indicator are absent when it is
	 * switched off ({@code secrets.enabled=false}): the page then shows every file as missing.
	 * @param wiring the sample's wiring report
	 * @param secrets the starter's {@code secrets} endpoint, if any
	 * @param health the starter's {@code secrets} health indicator, if any
	 * @param rotations the rotations seen so far
	 */
	public WiringDashboard(WiringEndpoint wiring, ObjectProvider<SecretsEndpoint> secrets,
			ObjectProvider<SecretsHealthIndicator> health, RotationLog rotations) {
		this.wiring = wiring;
		this.secrets = secrets;
		this.health = health;
		this.rotations = rotations;
	}

	/**
	 * Look at everything now: read the folder, run every consumer check.
	 * @return the dashboard's content
	 */
	public Status now() {
		Map<String, SecretDescriptor> files = new LinkedHashMap<>();
		SecretsEndpoint endpoint = this.secrets.getIfAvailable();
		if (endpoint != null) {
			endpoint.secrets().secrets().forEach((descriptor) -> files.put(descriptor.name(), descriptor));
		}
		List<Row> rows = new ArrayList<>();
		for (WiringEndpoint.SecretWiring secret : this.wiring.wiring().secrets()) {
			SecretDescriptor file = files.get(secret.name());
			String status = (file != null) ? file.status() : "missing";
			rows.add(new Row(secret.name(), !"missing".equals(status), "ok".equals(status),
					(file != null) ? file.reason() : "not found in the secrets folder", secret.feeds(),
					secret.consumer().ok(), secret.consumer().check(), secret.consumer().detail(),
					time((file != null) ? file.lastModified() : null), time(this.rotations.lastRotation(secret.name()))));
		}
		SecretsHealthIndicator indicator = this.health.getIfAvailable();
		Health secretsHealth = (indicator != null) ? indicator.health(true) : null;
		Object problems = (secretsHealth != null) ? secretsHealth.getDetails().get("problems") : null;
		List<String> healthProblems = new ArrayList<>();
		if (problems instanceof List<?> list) {
			list.forEach((problem) -> healthProblems.add(String.valueOf(problem)));
		}
		boolean allGreen = rows.stream().allMatch((row) -> row.present() && row.valid() && row.consumerOk());
		return new Status(allGreen, (secretsHealth != null) ? secretsHealth.getStatus().getCode() : "UNKNOWN",
				healthProblems, TIME.format(Instant.now()), rows);
	}

	private static String time(@Nullable Instant instant) {
		return (instant != null) ? TIME.format(instant) : "never";
	}

	/**
	 * The dashboard.
	 *
	 * @param allGreen whether every file is present and valid and every consumer check passed
	 * @param health status of the {@code secrets} health indicator
	 * @param healthProblems the problems it reports (files and rules, never values)
	 * @param checkedAt when this was looked at (UTC)
	 * @param rows one per secret file
	 */
	public record Status(boolean allGreen, String health, List<String> healthProblems, String checkedAt,
			List<Row> rows) {

	}

	/**
	 * One secret file.
	 *
	 * @param name the file name
	 * @param present whether the file exists in the folder now
	 * @param valid whether it passes the rules now
	 * @param reason why it is missing or invalid, if it is
	 * @param feeds the properties it feeds
	 * @param consumerOk whether the live check of its consumer passed
	 * @param check what the live check does
	 * @param detail what the live check saw
	 * @param lastChange when the file last changed (UTC)
	 * @param lastRotation when its new value was last taken into use in this run (UTC), or "never"
	 */
	public record Row(String name, boolean present, boolean valid, @Nullable String reason, List<String> feeds,
			boolean consumerOk, String check, String detail, String lastChange, String lastRotation) {

	}

}
