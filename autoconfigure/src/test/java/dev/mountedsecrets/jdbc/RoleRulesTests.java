package dev.mountedsecrets.jdbc;

import java.util.List;

import dev.mountedsecrets.jdbc.RoleRules.Role;
import dev.mountedsecrets.jdbc.RoleRules.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The least-privilege rules of the DataSource role check, each broken alone, apart from the
 * database ({@code PostgresIT} shows the same rules against a real PostgreSQL).
 */
class RoleRulesTests {

	@Test
	void verdictWhenOrdinaryRoleWithoutMembershipsIsUnprivileged() {
		Verdict verdict = RoleRules.verdict(role("app_user", false, false), List.of());
		assertThat(verdict.unprivileged()).isTrue();
		assertThat(verdict.violations()).isEmpty();
		assertThat(verdict.memberOf()).isEmpty();
	}

	@Test
	void verdictWhenSuperuserWithAnotherNameBreaksOnlyTheSuperuserRule() {
		Verdict verdict = RoleRules.verdict(role("app_admin", true, false), List.of());
		assertThat(verdict.unprivileged()).isFalse();
		assertThat(verdict.violations()).containsExactly("is a superuser");
		assertThat(verdict.memberOf()).isEmpty();
	}

	@Test
	void verdictWhenBypassRlsAloneBreaksOnlyTheBypassRlsRule() {
		Verdict verdict = RoleRules.verdict(role("app_user", false, true), List.of());
		assertThat(verdict.unprivileged()).isFalse();
		assertThat(verdict.violations()).containsExactly("has BYPASSRLS");
	}

	@Test
	void verdictWhenUnprivilegedRoleIsNamedPostgresBreaksOnlyTheNameRule() {
		Verdict verdict = RoleRules.verdict(role("postgres", false, false), List.of());
		assertThat(verdict.unprivileged()).isFalse();
		assertThat(verdict.violations()).containsExactly("is the admin role 'postgres'");
	}

	@Test
	void verdictWhenRoleBreaksEveryRuleListsThemInOrder() {
		Verdict verdict = RoleRules.verdict(role("postgres", true, true), List.of());
		assertThat(verdict.violations()).containsExactly("is a superuser", "has BYPASSRLS",
				"is the admin role 'postgres'");
	}

	@Test
	void verdictWhenMemberOfPrivilegedRolesNamesEachAndWhatItBreaks() {
		Verdict verdict = RoleRules.verdict(role("app_user", false, false),
				List.of(role("admins", true, false), role("postgres", true, true), role("rls_off", false, true)));
		assertThat(verdict.unprivileged()).isFalse();
		assertThat(verdict.memberOf()).containsExactly("admins", "postgres", "rls_off");
		assertThat(verdict.violations()).containsExactly(
				"can become role 'admins' (SET ROLE), which is a superuser",
				"can become role 'postgres' (SET ROLE), which is a superuser and has BYPASSRLS",
				"can become role 'rls_off' (SET ROLE), which has BYPASSRLS");
	}

	@Test
	void verdictWhenRoleWithBypassRlsIsAlsoMemberOfPrivilegedRoleListsBoth() {
		Verdict verdict = RoleRules.verdict(role("app_user", false, true), List.of(role("admins", true, false)));
		assertThat(verdict.violations()).containsExactly("has BYPASSRLS",
				"can become role 'admins' (SET ROLE), which is a superuser");
		assertThat(verdict.memberOf()).containsExactly("admins");
	}

	@Test
	void verdictWhenSuperuserIsMemberOfPrivilegedRolesReportsOnlyTheSuperuserRule() {
		Verdict verdict = RoleRules.verdict(role("app_admin", true, false), List.of(role("admins", true, false)));
		assertThat(verdict.violations()).containsExactly("is a superuser");
		assertThat(verdict.memberOf()).isEmpty();
	}

	@Test
	void withGrantsWhenCalledKeepsNameAndAttributes() {
		Role role = role("app_user", false, true).withGrants(List.of("ops"));
		assertThat(role).isEqualTo(new Role("app_user", false, true, List.of("ops")));
	}

	private static Role role(String name, boolean superuser, boolean bypassRls) {
		return new Role(name, superuser, bypassRls, List.of());
	}

}
