import { BadInputError, type FieldErrors } from "./errors.js";

const emailPattern = /^[^\s@"(),:;<>[\]\\]+@[^\s@"(),:;<>[\]\\.]+(\.[^\s@"(),:;<>[\]\\.]+)+$/;
const currencies = new Set(Intl.supportedValuesOf("currency"));

interface TextRule {
  max?: number;
  min?: number;
}

/**
 * Collects every problem with an input before refusing it, so one 400 names all bad fields.
 * Field names are the GraphQL ones (`user.email`); REST routes re-case them.
 */
export class InputCheck {
  private readonly errors: FieldErrors = {};

  /** Required text: trimmed, non-empty, within limits. */
  text(field: string, value: string | null | undefined, rule: TextRule = {}): string {
    const trimmed = value?.trim() ?? "";
    if (!trimmed) {
      this.errors[field] = "is required";
      return "";
    }
    return this.limit(field, trimmed, rule);
  }

  /** Optional text: trimmed; empty becomes null; undefined stays undefined (not given). */
  optionalText(field: string, value: string | null | undefined, rule: TextRule = {}): string | null | undefined {
    if (value === undefined) return undefined;
    const trimmed = value?.trim() ?? "";
    return trimmed ? this.limit(field, trimmed, rule) : null;
  }

  email(field: string, value: string | null | undefined): string {
    const email = this.text(field, value, { max: 254 });
    if (email && !isEmail(email)) this.errors[field] = "must be a valid e-mail address";
    return email;
  }

  optionalEmail(field: string, value: string | null | undefined): string | null | undefined {
    const email = this.optionalText(field, value, { max: 254 });
    if (email && !isEmail(email)) this.errors[field] = "must be a valid e-mail address";
    return email;
  }

  phone(field: string, value: string | null | undefined): string | null | undefined {
    const phone = this.optionalText(field, value, { max: 32 });
    if (phone && !/^[0-9+()\-. x]{3,32}$/i.test(phone)) {
      this.errors[field] = "may contain only digits, spaces and + ( ) - . x";
    }
    return phone;
  }

  currency(field: string, value: string | null | undefined): string {
    const code = this.text(field, value, { max: 3 }).toUpperCase();
    if (code && !currencies.has(code)) this.errors[field] = "must be an ISO 4217 currency code such as USD";
    return code;
  }

  url(field: string, value: string | null | undefined): string | null | undefined {
    const url = this.optionalText(field, value, { max: 2048 });
    if (url && !/^https?:\/\/[^\s]+$/i.test(url)) this.errors[field] = "must be an http(s) URL";
    return url;
  }

  /** Records a problem found by a rule of the caller's own. */
  fail(field: string, problem: string): void {
    this.errors[field] ??= problem;
  }

  /** The problems found so far, for callers that report them per item instead of throwing. */
  get problems(): Readonly<FieldErrors> {
    return this.errors;
  }

  /** Throws one BAD_USER_INPUT naming every field with a problem. */
  done(): void {
    const entries = Object.entries(this.errors);
    if (entries.length === 0) return;
    const [[field, problem]] = entries as [[string, string]];
    const message = entries.length === 1 ? `${field} ${problem}` : `The input has ${entries.length} invalid fields`;
    throw new BadInputError(message, this.errors);
  }

  private limit(field: string, value: string, rule: TextRule): string {
    const max = rule.max ?? 200;
    if (value.length > max) this.errors[field] = `must be at most ${max} characters`;
    if (rule.min && value.length < rule.min) this.errors[field] = `must be at least ${rule.min} characters`;
    return value;
  }
}

export function isEmail(value: string): boolean {
  const at = value.lastIndexOf("@");
  return value.length <= 254 && at > 0 && at <= 64 && emailPattern.test(value);
}
