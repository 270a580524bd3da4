// The LLM rules on Python (require-llm-temperature, require-llm-max-tokens, require-llm-schema,
// no-cloud-llm): the real front (tree-sitter parser, facts, core decisions) on real text, exact
// findings pinned; each corpus false positive stays clean, its twin stays reported.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { Linter } from "eslint";
import tsParser from "@typescript-eslint/parser";
import { beforeAll, describe, expect, it } from "vitest";
import plugin from "../../rules/index.js";
import { lintPythonText } from "../../rules/python/lint.js";
import { loadPythonParser } from "../../rules/python/parser.js";

const root = path.resolve(__dirname, "../..");
const cli = path.join(root, "dist/server/cli.js");

beforeAll(async () => {
  await loadPythonParser();
});

type Msg = { ruleId: string | null; line: number; column: number; message: string; messageId?: string };
const pick = (m: Msg) => [m.ruleId?.replace("ghostwatch/", ""), m.line, m.column, m.message];
const ids = (m: Msg) => [m.ruleId?.replace("ghostwatch/", ""), m.line, m.messageId];

function lint(text: string, preset: "recommended" | "strict" | "local-only" = "strict", file = "/proj/agent.py") {
  const r = lintPythonText(text, file, { preset });
  if (!r) throw new Error("parser not loaded");
  return r.messages as Msg[];
}

const CLOUD = "outside the local-only allow list (localhost, 127.0.0.1, ::1, host.docker.internal). Point it at a local server (e.g. base_url=\"http://localhost:11434/v1\") or add the host to `allow`.";
const NO_TEMP = (api: string, to: string, key = "`temperature=0`") => `${api}() to ${to} sets no temperature, so the provider's default (up to 1.0) applies. Set ${key} (at most 0.1).`;
const NO_BUDGET = (api: string, to: string, key: string) => `${api}() to ${to} sets no output budget: a runaway answer runs until the context is full. Set \`${key}\`.`;
const FIX = "Validate it first, e.g. `Model.model_validate(json.loads(…))` (pydantic), or let the provider enforce one (`client.beta.chat.completions.parse(response_format=Model)`).";
const UNVALIDATED = (what: string, source: string, use: string, line: number) => `json.loads of ${what} (${source}) is ${use} (line ${line}) with no schema check: a malformed or hallucinated field flows straight into the code. ${FIX}`;

describe("LLM rules on Python through ghostwatch lint", () => {
  it("the agent fixture: every missing setting, unvalidated parse and cloud endpoint, on the exact node", () => {
    // Linted from the fixture's own folder: under the project's `test/` folder `recommended`/`local-only`
    // keep the LLM-parameter rules quiet (checkTestFiles: false), as for TS.
    const r = spawnSync(process.execPath, [cli, "lint", ".", "--preset", "local-only", "--format", "json"], { cwd: path.join(root, "test/python/fixtures/llm"), encoding: "utf8" });
    const results = JSON.parse(r.stdout) as Array<{ filePath: string; messages: Msg[] }>;
    const agent = results.find((x) => x.filePath.endsWith("agent.py"))!;
    expect(agent.messages.map(pick)).toEqual([
      ["no-cloud-llm", 16, 10, `OpenAI() sends model calls to api.openai.com (OpenAI), ${CLOUD}`],
      ["no-cloud-llm", 17, 10, `anthropic.Anthropic() sends model calls to api.anthropic.com (Anthropic), ${CLOUD}`],
      ["no-cloud-llm", 18, 10, `genai.Client() sends model calls to generativelanguage.googleapis.com (Gemini), ${CLOUD}`],
      ["require-llm-temperature", 23, 36, NO_TEMP("chat.completions.create", "OpenAI")],
      ["require-llm-max-tokens", 23, 36, NO_BUDGET("chat.completions.create", "OpenAI", "max_tokens")],
      ["require-llm-schema", 24, 13, UNVALIDATED("a completion's text", "resp.choices[0].message.content", 'read (["steps"])', 25)],
      ["require-llm-temperature", 29, 27, NO_TEMP("messages.create", "Anthropic")],
      ["no-cloud-llm", 34, 12, `litellm.completion() sends model calls to api.groq.com (Groq), ${CLOUD}`],
      // line 34's free-text `temperature=0.7`: not reported under local-only's maxTemperatureScope "structured"
      ["require-llm-max-tokens", 38, 18, NO_BUDGET("ollama.chat", "Ollama", 'options["num_predict"]')],
      ["require-llm-schema", 39, 12, UNVALIDATED("model output", 'out["message"]["content"]', 'read (["answer"])', 39)],
      ["require-llm-temperature", 43, 18, NO_TEMP("requests.post", "localhost:11434", '`options={"temperature": 0}`')],
      ["require-llm-max-tokens", 43, 18, NO_BUDGET("requests.post", "localhost:11434", 'options["num_predict"]')],
      ["require-llm-schema", 44, 12, UNVALIDATED("model output", 'r.json()["response"]', "iterated", 45)],
      ["require-llm-temperature", 50, 26, NO_TEMP("models.generate_content", "Gemini", '`config={"temperature": 0}`')],
      ["require-llm-max-tokens", 50, 26, NO_BUDGET("models.generate_content", "Gemini", 'config["max_output_tokens"]')],
      ["require-llm-max-tokens", 53, 7, NO_BUDGET("ChatOpenAI", "OpenAI", "max_tokens")],
      ["no-cloud-llm", 53, 7, `ChatOpenAI() sends model calls to api.openai.com (OpenAI), ${CLOUD}`],
      ["require-llm-max-tokens", 54, 13, NO_BUDGET("ChatOllama", "Ollama", "num_predict")],
      ["no-cloud-llm", 55, 8, `Groq() sends model calls to api.groq.com (Groq), ${CLOUD}`],
      ["require-llm-max-tokens", 55, 32, NO_BUDGET("chat.completions.create", "Groq", "max_tokens")],
      ["no-cloud-llm", 56, 11, `Mistral() sends model calls to api.mistral.ai (Mistral), ${CLOUD}`],
      ["require-llm-schema", 65, 16, 'Function tool "search" passed to chat.completions.create() is a raw JSON schema without `"strict": True`: the model may send arguments that do not match it. Add `"strict": True` (and `"additionalProperties": False`), or build the tool with openai.pydantic_function_tool(Model).'],
      ["require-llm-schema", 66, 25, 'chat.completions.create() asks for `response_format={"type": "json_object"}` with no schema: the model returns any JSON it likes. Use `response_format=Model` with `.parse()`, or validate the parsed result.'],
      ["require-llm-schema", 69, 12, UNVALIDATED("tool-call arguments", "call.function.arguments", 'read (["query"])', 70)],
    ]);
    // The near misses: settings spread from a complete dict, validated parses, a provider-enforced schema,
    // reasoning models, unknown **kwargs, guards that raise, an image model, a non-model JSON API,
    // ChatAnthropic's bounded default budget. Only the two cloud endpoints remain (local-only policy).
    const clean = results.find((x) => x.filePath.endsWith("clean.py"))!;
    expect(clean.messages.map((m) => [m.ruleId, m.line])).toEqual([
      ["ghostwatch/no-cloud-llm", 18],
      ["ghostwatch/no-cloud-llm", 71],
    ]);
  });

  it("recommended: temperature/max-tokens/schema warn, no-cloud-llm off", () => {
    const text = "from openai import OpenAI\nc = OpenAI()\nr = c.chat.completions.create(model='gpt-4o', messages=[])\n";
    expect(lint(text, "recommended").map(ids)).toEqual([
      ["require-llm-temperature", 3, "missing"],
      ["require-llm-max-tokens", 3, "missing"],
    ]);
  });
});

describe("checkTestFiles: false (what recommended asks of the LLM-parameter rules)", () => {
  const rulesRecord = { "ghostwatch/require-llm-temperature": ["warn", { checkTestFiles: false }], "ghostwatch/require-llm-max-tokens": ["warn", { checkTestFiles: false }], "ghostwatch/require-llm-schema": "warn" };
  const text = "import json\nfrom openai import OpenAI\nc = OpenAI()\nr = c.chat.completions.create(model='gpt-4o', messages=[])\nd = json.loads(r.choices[0].message.content)['x']\n";
  const at = (file: string) => lintPythonText(text, file, { rules: rulesRecord, cwd: "/proj" })!.messages.map((m) => m.ruleId?.replace("ghostwatch/", ""));
  it("pytest files, conftest, test/fixture/example folders get no temperature/max-tokens findings; other rules still run", () => {
    for (const f of ["/proj/tests/test_agent.py", "/proj/test_agent.py", "/proj/agent_test.py", "/proj/conftest.py", "/proj/pkg/fixtures/agent.py", "/proj/examples/chat.py"]) expect(at(f), f).toEqual(["require-llm-schema"]);
  });
  it("the same code in the project is reported; a `tests` folder above the working directory does not count", () => {
    expect(at("/proj/agent/run.py")).toEqual(["require-llm-temperature", "require-llm-max-tokens", "require-llm-schema"]);
    expect(lintPythonText(text, "/home/tests/proj/run.py", { rules: rulesRecord, cwd: "/home/tests/proj" })!.messages).toHaveLength(3);
  });
});

describe("corpus false positives stay clean; their twins stay reported", () => {
  it("openai-python examples: responses.stream(response_id=…) resumes a response and sends no settings", () => {
    const fp = "from openai import OpenAI\nclient = OpenAI()\nwith client.responses.stream(response_id=rid, starting_after=10) as s:\n    pass\n";
    expect(lint(fp, "strict")).toEqual([]);
    const keep = "from openai import OpenAI\nclient = OpenAI()\nwith client.responses.stream(model='gpt-4o', input='hi') as s:\n    pass\n";
    expect(lint(keep, "strict").map(ids)).toEqual([
      ["require-llm-temperature", 3, "missing"],
      ["require-llm-max-tokens", 3, "missing"],
    ]);
  });

  it("langchain-community / instructor: a GenerativeModel stored or handed on gets its generation_config per request", () => {
    const fp = "import google.generativeai as genai\n\ndef setup(values, name):\n    values['client'] = genai.GenerativeModel(model_name=name)\n\ndef wrap(name):\n    client = genai.GenerativeModel(model_name=name)\n    return from_gemini(client)\n";
    expect(lint(fp, "strict")).toEqual([]);
    const keep = "import google.generativeai as genai\n\ndef ask(q):\n    model = genai.GenerativeModel('gemini-1.5-flash')\n    return model.generate_content(q).text\n";
    expect(lint(keep, "strict").map(ids)).toEqual([
      ["require-llm-temperature", 4, "missing"],
      ["require-llm-max-tokens", 4, "missing"],
    ]);
    const later = "import google.generativeai as genai\n\ndef ask(q):\n    model = genai.GenerativeModel('gemini-1.5-flash')\n    return model.generate_content(q, generation_config={'temperature': 0, 'max_output_tokens': 100}).text\n";
    expect(lint(later, "strict")).toEqual([]);
  });

  it("instructor: `response_model(**json.loads(args))` builds a pydantic model (validated); a dict read is not", () => {
    const fp = "import json, openai\n\ndef load(data, response_model):\n    return response_model(**json.loads(data['choices'][0]['message']['tool_calls'][0]['function']['arguments']))\n";
    expect(lint(fp, "strict")).toEqual([]);
    const keep = "import json, openai\n\ndef load(data):\n    return json.loads(data['choices'][0]['message']['tool_calls'][0]['function']['arguments'])['x']\n";
    expect(lint(keep, "strict").map(ids)).toEqual([["require-llm-schema", 4, "unvalidated"]]);
  });

  it("langchain-community output parsers: a parse helper returning the dict leaves validation to its callers", () => {
    const fp = "import json\nimport openai\n\nclass P:\n    def parse_result(self, function_call):\n        return json.loads(function_call['function']['arguments'])\n";
    expect(lint(fp, "strict")).toEqual([]);
    const keep = "import json\nimport openai\n\ndef parse_args(call):\n    return json.loads(call.function.arguments)\n\ndef run(call):\n    args = parse_args(call)\n    return args['query']\n";
    expect(lint(keep, "strict").map(pick)).toEqual([["require-llm-schema", 5, 12, UNVALIDATED("tool-call arguments", "call.function.arguments", "read (['query'])", 9)]]);
  });

  it("langchain-community: `openai.OpenAI(**client_params)` may get its endpoint from the spread (unprovable, not api.openai.com)", () => {
    const t = "import openai\n\ndef build(client_params):\n    return openai.OpenAI(**client_params)\n";
    expect(lint(t, "local-only").map(pick)).toEqual([["no-cloud-llm", 4, 12, "openai.OpenAI(): the endpoint (OpenAI with an endpoint from **kwargs) is not known statically, so local-only cannot be proven. Use a literal local URL or set `allowUnresolved`."]]);
    expect(lint("import openai\n\ndef build():\n    return openai.OpenAI()\n", "local-only").map(ids)).toEqual([["no-cloud-llm", 4, "cloud"]]);
  });

  it("no-cloud-llm: an Ollama cloud model tag, a LAN Ollama host (not in allow), an env var with a local default (allowed)", () => {
    const t = [
      "import os, ollama",
      "from openai import OpenAI",
      "local = OpenAI(base_url=os.environ.get('OPENAI_BASE_URL', 'http://localhost:11434/v1'), api_key='x')",
      "lan = ollama.Client(host='http://192.168.1.20:11434')",
      "r = ollama.chat(model='gpt-oss:120b-cloud', messages=[], options={'temperature': 0, 'num_predict': 9})",
      "",
    ].join("\n");
    expect(lint(t, "local-only").map(pick)).toEqual([
      ["no-cloud-llm", 4, 7, `ollama.Client() sends model calls to 192.168.1.20:11434 (Ollama), ${CLOUD}`],
      ["no-cloud-llm", 5, 5, `ollama.chat() with model "gpt-oss:120b-cloud" sends model calls to gpt-oss:120b-cloud (Ollama cloud) (OllamaCloud), ${CLOUD}`],
    ]);
  });

  it("the v0 module API (`openai.ChatCompletion.create`) is a model call to OpenAI (settings and endpoint)", () => {
    const t = "import openai\nr = openai.ChatCompletion.create(model='gpt-3.5-turbo', messages=[], temperature=0)\n";
    expect(lint(t, "local-only").map(ids)).toEqual([
      ["no-cloud-llm", 2, "cloud"],
      ["require-llm-max-tokens", 2, "missing"],
    ]);
  });

  it("a client created inline names its provider (Groq().chat.completions.create is Groq, not OpenAI)", () => {
    const t = "from groq import Groq\nr = Groq().chat.completions.create(model='llama3-8b-8192', messages=[], temperature=0)\n";
    expect(lint(t, "strict").map(pick)).toEqual([["require-llm-max-tokens", 2, 29, NO_BUDGET("chat.completions.create", "Groq", "max_tokens")]]);
  });

  it("instructor-wrapped clients are model calls in the wrapped provider's spelling (miss on instructor examples)", () => {
    const t = "import instructor\nfrom anthropic import Anthropic\nfrom openai import OpenAI\n\nclient = instructor.from_openai(OpenAI())\nclaude = instructor.from_anthropic(Anthropic())\nauto = instructor.from_provider('anthropic/claude-3-5-haiku-latest')\n\ndef run(q):\n    a = client.messages.create(model='gpt-4o', response_model=Plan, messages=[])\n    b = claude.messages.create(model='claude-3-5-haiku-latest', response_model=Plan, messages=[], temperature=0, max_tokens=300)\n    c = auto.chat.completions.create_iterable(response_model=Plan, messages=[], max_tokens=300)\n    return a, b, c\n";
    expect(lint(t, "strict").map(ids)).toEqual([
      ["require-llm-temperature", 10, "missing"],
      ["require-llm-max-tokens", 10, "missing"],
      ["require-llm-temperature", 12, "missing"],
    ]);
  });

  it("misses fixed: LangChain completion LLMs (`Ollama(…)` from langchain_community.llms), JSON cut out of the text by a regex or a slice", () => {
    const t = [
      "import json, re",
      "from langchain_community.llms import Ollama",
      "from langchain_openai import ChatOpenAI",
      "",
      "llm = Ollama(model='llama2', temperature=0, num_predict=200)",
      "chat = ChatOpenAI(model='gpt-4o', temperature=0, max_tokens=100)",
      "",
      "def extract(q):",
      "    text = llm.invoke(q)",
      "    match = re.search(r'\\{.*\\}', text, re.S)",
      "    return json.loads(match.group())['name']",
      "",
      "def extract2(q):",
      "    s = chat.invoke(q).content",
      "    data = json.loads(s[s.find('{'): s.rfind('}') + 1])",
      "    return data['name']",
      "",
    ].join("\n");
    expect(lint(t, "strict").map(pick)).toEqual([
      ["require-llm-schema", 11, 12, UNVALIDATED("model output", "match.group()", "read (['name'])", 11)],
      ["require-llm-schema", 15, 12, UNVALIDATED("model output", "s[s.find('{'): s.rfind('}') + 1]", "read (['name'])", 16)],
    ]);
    // the near miss: the same text validated by a pydantic model
    expect(lint(t.replace("return json.loads(match.group())['name']", "return Person.model_validate(json.loads(match.group())).name").replace("return data['name']", "return Person(**data).name"), "strict")).toEqual([]);
  });

  it("LangChain chat models from langchain_community are labelled by their class, not the package", () => {
    const t = "from langchain_community.chat_models import ChatOpenAI\nllm = ChatOpenAI(temperature=0)\n";
    expect(lint(t, "strict").map(pick)).toEqual([["require-llm-max-tokens", 2, 7, NO_BUDGET("ChatOpenAI", "OpenAI", "max_tokens")]]);
  });
});

describe("one decision, two fronts: the same case in TS and Python gives the same message id", () => {
  const linter = new Linter({ configType: "flat", cwd: "/proj" });
  const ts = (code: string) =>
    linter
      .verify(code, [{ files: ["**/*.ts"], languageOptions: { parser: tsParser as never }, plugins: { ghostwatch: plugin as never }, rules: { "ghostwatch/require-llm-temperature": "warn", "ghostwatch/require-llm-max-tokens": "warn", "ghostwatch/require-llm-schema": "warn", "ghostwatch/no-cloud-llm": "error" } }], "/proj/agent.ts")
      .map((m) => [m.ruleId?.replace("ghostwatch/", ""), m.messageId]);
  const py = (code: string) => lint(code, "local-only").map((m) => [m.ruleId?.replace("ghostwatch/", ""), m.messageId]);

  it("a chat completion with no settings through a cloud client", () => {
    expect(ts('import OpenAI from "openai";\nconst c = new OpenAI();\nexport const r = c.chat.completions.create({ model: "gpt-4o", messages: [] });\n')).toEqual([
      ["no-cloud-llm", "cloud"],
      ["require-llm-temperature", "missing"],
      ["require-llm-max-tokens", "missing"],
    ]);
    expect(py('from openai import OpenAI\nc = OpenAI()\nr = c.chat.completions.create(model="gpt-4o", messages=[])\n')).toEqual([
      ["no-cloud-llm", "cloud"],
      ["require-llm-temperature", "missing"],
      ["require-llm-max-tokens", "missing"],
    ]);
  });

  it("a temperature above the maximum (JSON mode: machine-consumed, so also under recommended's scope); a parse read with no schema; a router", () => {
    expect(ts('import ollama from "ollama";\nexport async function f() {\n  const r = await ollama.chat({ model: "llama3", messages: [], format: "json", options: { temperature: 0.9, num_predict: 10 } });\n  return JSON.parse(r.message.content).answer;\n}\n')).toEqual([
      ["require-llm-temperature", "tooHigh"],
      ["require-llm-schema", "unvalidated"],
    ]);
    expect(py('import json, ollama\n\ndef f():\n    r = ollama.chat(model="llama3", messages=[], format="json", options={"temperature": 0.9, "num_predict": 10})\n    return json.loads(r.message.content)["answer"]\n')).toEqual([
      ["require-llm-temperature", "tooHigh"],
      ["require-llm-schema", "unvalidated"],
    ]);
    expect(py('import litellm\nr = litellm.completion(model="gpt-4o", messages=[], temperature=0, max_tokens=9)\n')).toEqual([["no-cloud-llm", "router"]]);
  });
});

describe("require-llm-temperature maxTemperatureScope on Python (recommended: structured)", () => {
  const HIGH = "Temperature 0.7 is above 0.1 for non-creative work. Use 0, or name the function for its creative purpose.";
  const temp = (text: string, preset: "recommended" | "strict") => lint(text, preset).filter((m) => m.ruleId === "ghostwatch/require-llm-temperature").map((m) => [m.line, m.column, m.messageId, m.message]);
  const CHAT = 'from openai import OpenAI\nc = OpenAI()\nr = c.chat.completions.create(model="gpt-4o", messages=[], max_tokens=9, temperature=0.7)\n';

  it("a deliberate 0.7 in a free-text chat: clean under recommended, reported under strict (keep-free-text-all)", () => {
    expect(temp(CHAT, "recommended")).toEqual([]);
    expect(temp('import ollama\nr = ollama.chat(model="llama3", messages=[], options={"temperature": 0.7, "num_predict": 9})\n', "recommended")).toEqual([]);
    expect(temp(CHAT, "strict")).toEqual([[3, 86, "tooHigh", HIGH]]);
  });

  it("0.7 on machine-consumed output is reported under recommended: response_format json, tools, format=json, response_model", () => {
    expect(temp('from openai import OpenAI\nc = OpenAI()\nr = c.chat.completions.create(model="gpt-4o", messages=[], max_tokens=9, response_format={"type": "json_object"}, temperature=0.7)\n', "recommended")).toEqual([[3, 127, "tooHigh", HIGH]]);
    expect(temp('from openai import OpenAI\nc = OpenAI()\nr = c.chat.completions.create(model="gpt-4o", messages=[], max_tokens=9, response_format={"type": "text"}, temperature=0.7)\n', "recommended")).toEqual([]);
    expect(temp('from openai import OpenAI\nc = OpenAI()\nTOOLS = []\nr = c.chat.completions.create(model="gpt-4o", messages=[], max_tokens=9, tools=TOOLS, temperature=0.7)\n', "recommended")).toEqual([[4, 99, "tooHigh", HIGH]]);
    expect(temp('import ollama\nr = ollama.chat(model="llama3", messages=[], format="json", options={"temperature": 0.7, "num_predict": 9})\n', "recommended")).toEqual([[2, 85, "tooHigh", HIGH]]);
    expect(temp('import instructor\nfrom openai import OpenAI\nc = instructor.from_openai(OpenAI())\nr = c.chat.completions.create(model="gpt-4o", response_model=User, messages=[], max_tokens=9, temperature=0.7)\n', "recommended")).toEqual([[4, 107, "tooHigh", HIGH]]);
  });
});

describe("suggestions in ESLint's shape, on the text", () => {
  const apply = (text: string, fix: { range: [number, number]; text: string }) => text.slice(0, fix.range[0]) + fix.text + text.slice(fix.range[1]);

  it("temperature=0 and max_tokens=1024 into the argument list (one line, and a multi-line call with a trailing comma)", () => {
    const one = "from openai import OpenAI\nc = OpenAI()\nr = c.chat.completions.create(model='gpt-4o', messages=[])\n";
    const [t, b] = lint(one, "strict") as Array<Msg & { suggestions: Array<{ desc: string; fix: { range: [number, number]; text: string } }> }>;
    expect(t.suggestions.map((s) => s.desc)).toEqual(["Add `temperature=0` to this call.", "Disable require-llm-temperature for this line (# noqa: ghostwatch/require-llm-temperature)"]);
    expect(apply(one, t.suggestions[0].fix)).toBe("from openai import OpenAI\nc = OpenAI()\nr = c.chat.completions.create(model='gpt-4o', messages=[], temperature=0)\n");
    expect(apply(one, b.suggestions[0].fix)).toBe("from openai import OpenAI\nc = OpenAI()\nr = c.chat.completions.create(model='gpt-4o', messages=[], max_tokens=1024)\n");
    expect(apply(one, t.suggestions[1].fix)).toBe("from openai import OpenAI\nc = OpenAI()\nr = c.chat.completions.create(model='gpt-4o', messages=[])  # noqa: ghostwatch/require-llm-temperature\n");
    const multi = "import ollama\nr = ollama.chat(\n    model='llama3',\n    messages=[],\n)\n";
    const ms = lint(multi, "strict") as Array<Msg & { suggestions: Array<{ fix: { range: [number, number]; text: string } }> }>;
    const mt = ms.find((m) => m.ruleId === "ghostwatch/require-llm-temperature")!;
    const mb = ms.find((m) => m.ruleId === "ghostwatch/require-llm-max-tokens")!;
    expect(apply(multi, mt.suggestions[0].fix)).toBe("import ollama\nr = ollama.chat(\n    model='llama3',\n    messages=[],\n    options={\"temperature\": 0},\n)\n");
    expect(apply(multi, mb.suggestions[0].fix)).toBe("import ollama\nr = ollama.chat(\n    model='llama3',\n    messages=[],\n    options={\"num_predict\": 1024},\n)\n");
  });

  it("into an existing options dict; temperature 0.9 → 0 on the value", () => {
    const text = "import ollama\nr = ollama.chat(model='llama3', messages=[], options={'temperature': 0.9})\n";
    const ms = lint(text, "strict") as Array<Msg & { suggestions: Array<{ fix: { range: [number, number]; text: string } }> }>;
    const budget = ms.find((m) => m.ruleId === "ghostwatch/require-llm-max-tokens")!;
    const high = ms.find((m) => m.ruleId === "ghostwatch/require-llm-temperature")!;
    expect(apply(text, budget.suggestions[0].fix)).toBe("import ollama\nr = ollama.chat(model='llama3', messages=[], options={'temperature': 0.9, \"num_predict\": 1024})\n");
    expect([high.line, high.column]).toEqual([2, 70]);
    expect(apply(text, high.suggestions[0].fix)).toBe("import ollama\nr = ollama.chat(model='llama3', messages=[], options={'temperature': 0})\n");
  });
});
