// The months busy time is kept by: every UTC month the window touches, and no more.
import { describe, expect, test } from "bun:test";
import { monthEdges } from "./kept-busy";

const at = (iso: string) => Date.parse(iso);

describe("month edges", () => {
  test("a window inside one month, across two, and ending exactly where a month starts", () => {
    expect(monthEdges(at("2027-03-08T00:00:00Z"), at("2027-03-22T00:00:00Z"))).toEqual([at("2027-03-01T00:00:00Z"), at("2027-04-01T00:00:00Z")]);
    expect(monthEdges(at("2027-12-15T12:00:00Z"), at("2028-01-02T00:00:00Z"))).toEqual([at("2027-12-01T00:00:00Z"), at("2028-01-01T00:00:00Z"), at("2028-02-01T00:00:00Z")]);
    expect(monthEdges(at("2027-03-01T00:00:00Z"), at("2027-04-01T00:00:00Z"))).toEqual([at("2027-03-01T00:00:00Z"), at("2027-04-01T00:00:00Z")]);
  });
});
