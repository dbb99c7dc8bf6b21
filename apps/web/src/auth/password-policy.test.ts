import { describe, expect, it } from "vitest";
import { checkPassword, commonPasswords, PASSWORD_MAX_LENGTH } from "./password-policy";

describe("checkPassword", () => {
  it("accepts 8 to 256 characters without composition rules", () => {
    expect(checkPassword("correct horse battery staple")).toBeNull();
    expect(checkPassword("tangerine-otter")).toBeNull();
    expect(checkPassword("zq8vmw4k")).toBeNull();
    expect(checkPassword(`${"ü".repeat(3)}bergröße`)).toBeNull();
    const long = Array.from({ length: PASSWORD_MAX_LENGTH }, (_, i) =>
      String.fromCharCode(97 + ((i * 7) % 26)),
    ).join("");
    expect(checkPassword(long)).toBeNull();
  });

  it("refuses short and over-long passwords, counting code points", () => {
    expect(checkPassword("short")).toMatch(/at least 8 characters \(this one has 5\)/);
    expect(checkPassword("😀😀😀😀😀😀😀")).toMatch(/has 7/);
    expect(checkPassword(`${"x".repeat(257)}y`)).toMatch(/at most 256/);
  });

  it("refuses the most common passwords, whatever the case", () => {
    expect(commonPasswords().size).toBeGreaterThanOrEqual(3000);
    for (const p of [
      "password",
      "12345678",
      "iloveyou",
      "Password1",
      "QWERTYUIOP",
      "football",
      "sunshine",
    ]) {
      expect(checkPassword(p), p).toMatch(/most common passwords/);
    }
  });

  it("refuses simple patterns and the email address", () => {
    expect(checkPassword("aaaaaaaaaa")).toMatch(/pattern/);
    expect(checkPassword("56789012")).toMatch(/pattern/);
    expect(checkPassword("hgfedcbazy")).toMatch(/pattern/);
    expect(checkPassword("xyzxyzxyzxyz")).toMatch(/pattern/);
    expect(checkPassword("ada.lovelace", { email: "Ada.Lovelace@example.com" })).toMatch(/email/);
    expect(checkPassword("ada@example.com", { email: "ada@example.com" })).toMatch(/email/);
  });
});
