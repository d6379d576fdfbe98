package dev.foyer.admin;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;

import dev.foyer.directory.AccountExport;
import dev.foyer.directory.AccountImport;
import dev.foyer.directory.ImportReport;

/**
 * Bulk import and export of a tenant's accounts as JSON lines ({@code application/x-ndjson}), one account per line in
 * the same format both ways (docs/admin-api.md). Both stream: neither holds the body or the directory in memory.
 * Same rights as the other user endpoints; each call is audited once.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenantId}/users")
class UsersBulkApi {

	static final String NDJSON = "application/x-ndjson";

	private final AdminAccess access;

	private final AccountImport imports;

	private final AccountExport exports;

	UsersBulkApi(AdminAccess access, AccountImport imports, AccountExport exports) {
		this.access = access;
		this.imports = imports;
		this.exports = exports;
	}

	/**
	 * Imports accounts from the JSON lines of the body, streamed and committed in batches of 1,000. Addresses that
	 * already have an account are skipped, so a rerun resumes an interrupted import; {@code startLine} numbers the
	 * body's first line as in the caller's file. Answers the counts and every rejected line with its reasons.
	 */
	@PostMapping(path = "/import", consumes = NDJSON)
	@io.swagger.v3.oas.annotations.parameters.RequestBody(description = "One account per line (JSON lines)",
			content = @Content(mediaType = NDJSON, schema = @Schema(type = "string")))
	ImportReport importUsers(@PathVariable String tenantId, @RequestParam(required = false) Integer startLine,
			HttpServletRequest request) throws IOException {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		return this.imports.run(tenantId, request.getInputStream(), startLine);
	}

	/**
	 * Every account of the tenant as JSON lines in the import's format, password hashes in their stored form (except
	 * those of principals holding roles the caller may not manage), in address order.
	 */
	@GetMapping(path = "/export", produces = NDJSON)
	void exportUsers(@PathVariable String tenantId, HttpServletResponse response) throws IOException {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		response.setContentType(NDJSON);
		response.setCharacterEncoding("UTF-8");
		response.setHeader("Content-Disposition", "attachment; filename=\"" + tenantId + "-users.jsonl\"");
		this.exports.write(tenantId, this.access.principalsBeyondReach(tenantId), response.getOutputStream());
	}

}
