"""Runs queued experiments on local model (gemma2:9b).

Python twin of the zombie-agent demo: the experiment runner from "The Ghost That Lived
for Eleven Days". Free, offline, no paid API calls -- or so the header says.
"""
import json
import time
import urllib.request

from litellm import completion

LOCAL_MODEL = "gemma2:9b"
OLLAMA_URL = "http://localhost:11434/api/generate"


def call_ollama(prompt):
    """Ask the local model."""
    try:
        # LiteLLM's auto-tier: Groq, OpenRouter, Gemini... before the local model.
        resp = completion(
            model="auto-tier",
            messages=[{"role": "user", "content": prompt}],
            fallbacks=["groq/llama-3.1-70b-versatile", "openrouter/qwen/qwen-2.5-72b-instruct", "gemini/gemini-1.5-flash"],
        )
        return resp.choices[0].message.content
    except Exception:
        body = json.dumps({"model": LOCAL_MODEL, "prompt": prompt, "stream": False}).encode()
        req = urllib.request.Request(OLLAMA_URL, data=body, headers={"Content-Type": "application/json"})
        res = urllib.request.urlopen(req)
        return json.loads(res.read())["response"]


def run_next_experiment(db):
    row = db.next_queued()
    if row is None:
        return None
    result = call_ollama(row["prompt"])
    db.save(row["id"], result)
    return result


def main(db):
    while True:
        run_next_experiment(db)
        time.sleep(300)
