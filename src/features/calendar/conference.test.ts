import { describe, expect, test } from "bun:test";
import { conferenceOf } from "./conference";

const at = (url: string, location = "", description = "") => conferenceOf({ url, location, description });

describe("conferenceOf", () => {
  test("Meet, Zoom and Teams links are recognised wherever they are", () => {
    expect(at("https://meet.google.com/abc-defg-hij")).toEqual({ provider: "Google Meet", url: "https://meet.google.com/abc-defg-hij" });
    expect(at("", "https://us02web.zoom.us/j/123456789?pwd=x")?.provider).toBe("Zoom");
    expect(at("", "", "Join: https://teams.microsoft.com/l/meetup-join/19%3ameeting_x/0 (Teams)")?.provider).toBe("Microsoft Teams");
  });

  test("look-alike hosts, plain http, credentials, ports and bare hosts are not join buttons", () => {
    expect(at("https://meet.google.com.evil.example/abc")).toBeNull();
    expect(at("https://evilzoom.us/j/1")).toBeNull();
    expect(at("http://meet.google.com/abc-defg-hij")).toBeNull();
    expect(at("https://user:pw@meet.google.com/abc")).toBeNull();
    expect(at("https://meet.google.com:8443/abc")).toBeNull();
    expect(at("https://zoom.us/")).toBeNull();
    expect(at("https://example.com/meeting", "Room 4")).toBeNull();
  });
});
