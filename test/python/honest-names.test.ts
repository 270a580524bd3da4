// honest-llm-names on Python (issue 11 items 1, 2): the real front (tree-sitter, facts) and the core's
// decision on real text, exact findings pinned. Each dev-set false positive stays clean, its keep-* twin stays reported.
import { beforeAll, describe, expect, it } from "vitest";
import { lintPythonText } from "../../rules/python/lint.js";
import { loadPythonParser } from "../../rules/python/parser.js";

beforeAll(async () => {
  await loadPythonParser();
});

type Msg = { ruleId: string | null; line: number; column: number; message: string };
function names(text: string, file = "/proj/agent.py", preset: "recommended" | "strict" = "recommended") {
  const r = lintPythonText(text, file, { preset, cwd: "/proj" });
  if (!r) throw new Error("parser not loaded");
  return (r.messages as Msg[])
    .filter((m) => m.ruleId === "ghostwatch/honest-llm-names")
    .map((m) => [m.line, m.column, m.message]);
}

const TWO_CLIENTS = `from openai import OpenAI
from anthropic import Anthropic
openai_client = OpenAI()
anthropic_client = Anthropic()
result = anthropic_client.messages.create(model="claude-sonnet-4-5", max_tokens=10, messages=[])
`;
const GROQ = "https://api.groq.com/openai/v1/chat/completions";

describe("honest-llm-names on Python: reach is a request", () => {
  it("a local (or parameter) of the function shadows the module binding of the same name", () => {
    expect(
      names(
        `${TWO_CLIENTS}def gpt_orchestrator(objective, result=None):\n    result = openai_client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": objective}])\n    return result\n`,
      ),
    ).toEqual([]);
    expect(
      names(
        `${TWO_CLIENTS}def gpt_summary(objective):\n    for result in [openai_client.chat.completions.create(model="gpt-4o", messages=[])]:\n        return result\n`,
      ),
    ).toEqual([]);
  });

  it("keep: a function that uses the module binding reaches it", () => {
    expect(names(`${TWO_CLIENTS}def gpt_summary():\n    return result\n`)).toEqual([
      [
        6,
        5,
        "gpt_summary() claims OpenAI but reaches api.anthropic.com (agent.py:4) and never OpenAI. Rename it to say the route (e.g. anthropic_summary) or remove the other routes.",
      ],
    ]);
  });

  it("a config dict of default endpoints for several backends is a table, not a request; comparisons are mentions", () => {
    const table = `DEFAULTS = {\n    "ollama": {"base_url": "http://localhost:11434"},\n    "groq": {"base_url": "https://api.groq.com/openai/v1"},\n}\n`;
    expect(names(`${table}def ollama_defaults():\n    return DEFAULTS\n`)).toEqual([]);
    expect(
      names(
        `def is_openai_endpoint(url):\n    return url == "https://api.groq.com/openai/v1" or url.startswith("https://openrouter.ai")\n`,
      ),
    ).toEqual([]);
  });

  it("keep: next to the table, a URL that is requested counts; a single stored endpoint that is read counts", () => {
    const table = `import requests\nDEFAULTS = {\n    "ollama": {"base_url": "http://localhost:11434"},\n    "groq": {"base_url": "https://api.groq.com/openai/v1"},\n}\n`;
    expect(
      names(`${table}def call_ollama(p):\n    DEFAULTS\n    return requests.post("${GROQ}", json=p, timeout=5)\n`),
    ).toEqual([
      [
        6,
        5,
        "call_ollama() claims a local model but reaches api.groq.com (agent.py:8) and never a local model. Rename it to say the route (e.g. call_groq) or remove the other routes.",
      ],
    ]);
    expect(
      names(
        `import requests\nCONFIG = {"base_url": "https://openrouter.ai/api/v1/chat/completions"}\ndef call_ollama(p):\n    return requests.post(CONFIG["base_url"], json=p, timeout=5)\n`,
      ),
    ).toEqual([
      [
        3,
        5,
        "call_ollama() claims a local model but reaches openrouter.ai (agent.py:2) and never a local model. Rename it to say the route (e.g. call_router) or remove the other routes.",
      ],
    ]);
  });
});

describe("honest-llm-names on Python: test files", () => {
  const test = `import requests\ndef test_session_with_gemini_key():\n    return requests.post("${GROQ}", json={}, timeout=5)\n`;
  it("recommended does not check test files (test names describe the scenario)", () => {
    expect(names(test, "/proj/tests/test_agent_tools.py")).toEqual([]);
    expect(names(test, "/proj/pkg/agent_test.py")).toEqual([]);
  });
  it("keep: strict checks them; recommended checks the same code outside a test file", () => {
    const msg =
      "test_session_with_gemini_key() claims Gemini but reaches api.groq.com (tests/test_agent_tools.py:3) and never Gemini. Rename it to say the route (e.g. test_session_with_groq_key) or remove the other routes.";
    expect(names(test, "/proj/tests/test_agent_tools.py", "strict")).toEqual([[2, 5, msg]]);
    expect(names(test, "/proj/tests/helpers.py")).toHaveLength(1);
  });
});

describe("honest-llm-names on Python: run-time choices and fallbacks", () => {
  const FP = `from openai import OpenAI
from anthropic import Anthropic

CONFIG_OLLAMA = {"base_url": "http://localhost:11434", "model": "llama3"}
CONFIG_OPENAI = {"model": "gpt-4o"}

def get_config(kind):
    if kind == "ollama":
        return CONFIG_OLLAMA
    elif kind == "openai":
        return CONFIG_OPENAI
    raise ValueError(kind)

class Wrapper:
    def __init__(self, kind):
        self.config = get_config(kind)
        if kind == "openai":
            self._init_openai()
        elif kind == "anthropic":
            self._init_anthropic()

    def _init_openai(self):
        self.client = OpenAI(api_key=self.config.get("api_key"))

    def _init_anthropic(self):
        self.client = Anthropic()

    def openai_generate(self, prompt):
        return self.client.chat.completions.create(model=self.config.get("model"), messages=[{"role": "user", "content": prompt}])
`;
  const KEEP = `from ollama import Client
from openai import OpenAI

class Wrapper:
    def __init__(self):
        self.client = Client(host="http://localhost:11434")

    def _use_cloud(self):
        self.client = OpenAI(base_url="https://openrouter.ai/api/v1")

    def call_ollama(self, prompt):
        try:
            return self.client.chat(model="llama3", messages=[{"role": "user", "content": prompt}])
        except Exception:
            self._use_cloud()
            return self.client.chat.completions.create(model="x", messages=[])

def ollama_chat(prompt, status):
    r = Client(host="http://localhost:11434").chat(model="llama3", messages=[])
    if status != 200:
        return OpenAI(base_url="https://openrouter.ai/api/v1").chat.completions.create(model="x", messages=[])
    return r
`;
  it("a field assigned different clients in different methods, a config picked by a string switch: a choice, clean", () => {
    expect(names(FP, "/proj/fp.py")).toEqual([]);
  });
  it("keep: a fallback after failure (except, a status check) reassigning the client stays reported", () => {
    expect(names(KEEP, "/proj/keep.py")).toEqual([
      [11, 9, "call_ollama() claims a local model but reaches openrouter.ai (keep.py:9) after localhost:11434 (keep.py:6). Rename it to say the route (e.g. call_ollama_then_router) or remove the other routes."],
      [18, 5, "ollama_chat() claims a local model but reaches openrouter.ai (keep.py:21) after localhost:11434 (keep.py:19). Rename it to say the route (e.g. ollama_then_router_chat) or remove the other routes."],
    ]);
  });
  it("keep: one branch of a choice that reaches both routes still lies", () => {
    expect(
      names('from ollama import Client\nfrom openai import OpenAI\ndef ollama_chat(kind):\n    if kind == "local":\n        Client(host="http://localhost:11434").chat(model="x", messages=[])\n        return OpenAI(base_url="https://openrouter.ai/api/v1").chat.completions.create(model="x", messages=[])\n', "/proj/b.py").map((f) => f.slice(0, 2)),
    ).toEqual([[3, 5]]);
  });
});

describe("honest-llm-names on Python: Claude tiers", () => {
  it("opus/haiku before an agent-role noun claim Claude (maestro-ollama shape); a haiku as a task claims nothing", () => {
    const src = 'import ollama\ndef opus_orchestrator(objective):\n    return ollama.Client(host="http://localhost:11434").chat(model="llama3", messages=[])\ndef write_haiku(topic):\n    return ollama.Client(host="https://api.groq.com/openai/v1").chat(model="x", messages=[])\n';
    expect(names(src, "/proj/maestro.py").map((f) => f.slice(0, 2))).toEqual([[2, 5]]);
    expect(names(src, "/proj/maestro.py")[0][2]).toMatch(/^opus_orchestrator\(\) claims Anthropic but reaches localhost:11434/);
  });
});

describe("honest-llm-names on Python: IBM watsonx is a cloud provider", () => {
  it("a local claim reaching watsonx's regional host is reported with a watsonx honest name", () => {
    expect(names("from ibm_watsonx_ai.foundation_models import ModelInference\n\ndef local_generate(prompt):\n    model = ModelInference(model_id=\"ibm/granite-13b-chat-v2\", credentials={\"url\": \"https://us-south.ml.cloud.ibm.com\"}, project_id=\"p\")\n    return model.generate_text(prompt=prompt)\n", "/proj/w.py")).toEqual([
      [3, 5, "local_generate() claims a local model but reaches us-south.ml.cloud.ibm.com (w.py:4) and never a local model. Rename it to say the route (e.g. watsonx_generate) or remove the other routes."],
    ]);
  });
});
