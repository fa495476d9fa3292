package dev.mountedsecrets.jdbc;

import java.util.ArrayList;
import java.util.List;

/**
 * The least-privilege rules of {@link DataSourceRoleCheck}, apart from the database: which
 * rules a role breaks given what PostgreSQL says of it and of the privileged roles it can
 * become.
 */
final class RoleRules {

	private RoleRules() {
	}

	/**
	 * What the login role breaks.
	 * @param login the role the DataSource logs in as
	 * @param reachable the roles that are a superuser or have {@code BYPASSRLS} and that the
	 * login role is a member of, directly or not
	 * @return the rules broken, each as the end of a sentence, and the privileged roles it can
	 * become
	 */
	static Verdict verdict(Role login, List<Role> reachable) {
		List<String> violations = login.violations(true);
		List<String> memberOf = new ArrayList<>();
		if (!login.superuser()) {
			for (Role role : reachable) {
				memberOf.add(role.name());
				violations.add("can become role '" + role.name() + "' (SET ROLE), which "
						+ String.join(" and ", role.violations(false)));
			}
		}
		return new Verdict(violations, memberOf);
	}

	/**
	 * The rules a role breaks and the privileged roles it can become.
	 * @param violations the rules broken; empty when the role is unprivileged
	 * @param memberOf the privileged roles it can become with {@code SET ROLE}
	 */
	record Verdict(List<String> violations, List<String> memberOf) {

		boolean unprivileged() {
			return this.violations.isEmpty();
		}

	}

	/**
	 * A PostgreSQL role as {@code pg_roles} describes it.
	 * @param name the role name
	 * @param superuser whether it is a superuser
	 * @param bypassRls whether it has {@code BYPASSRLS}
	 * @param grants the roles granted to it directly through which it reaches a privileged
	 * role
	 */
	record Role(String name, boolean superuser, boolean bypassRls, List<String> grants) {

		Role withGrants(List<String> grants) {
			return new Role(this.name, this.superuser, this.bypassRls, grants);
		}

		List<String> violations(boolean byName) {
			List<String> violations = new ArrayList<>();
			if (this.superuser) {
				violations.add("is a superuser");
			}
			if (this.bypassRls) {
				violations.add("has BYPASSRLS");
			}
			if (byName && "postgres".equals(this.name)) {
				violations.add("is the admin role 'postgres'");
			}
			return violations;
		}

	}

}
